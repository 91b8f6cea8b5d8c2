/// Enforces `DoNotSchedule` topology spread constraints: placing the pod on a node must not
/// leave its domain more than `maxSkew` matching pods above the emptiest considered domain.
/// Nodes without the topology key are filtered out.
public struct PodTopologySpreadFilter: FilterPlugin {
    public var name: String { "PodTopologySpread" }
    public static let reason = "node(s) didn't match pod topology spread constraints"
    public static let missingLabelReason = "node(s) didn't match pod topology spread constraints (missing required label)"
    /// The rejections a scheduling cycle gets, made once so that returning one allocates nothing.
    static let missingLabelRejection = Verdict.unresolvable(missingLabelReason)
    static let rejection = Verdict.unschedulable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.spread.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        // The counts are read in place by index: iterating would copy each one for every node.
        let spreads = cycle.spread
        for index in spreads.indices {
            guard let count = spreads[index].count(atSlot: node.slot) else {
                guard explain else { return Self.missingLabelRejection }
                let key = spreads[index].constraint.topologyKey
                return .unresolvable(
                    Self.missingLabelReason, detail: "the node has no \(key) label",
                    fix: Fix("label \(node.name) with \(key)", cost: 2))
            }
            let skew = count + spreads[index].selfMatch - spreads[index].minimum
            guard skew > spreads[index].constraint.maxSkew else { continue }
            guard explain else { return Self.rejection }
            let spread = spreads[index]
            let key = spread.constraint.topologyKey
            let value = node.labels[key] ?? ""
            let emptiest = spread.emptiestDomain.map { " (\(key)=\($0))" } ?? ""
            return .unschedulable(
                Self.reason,
                detail: "\(key)=\(value) has \(count) matching pod(s), the emptiest domain\(emptiest) \(spread.minimum): skew \(skew) > maxSkew \(spread.constraint.maxSkew)",
                fix: Fix("raise maxSkew to \(skew) or make room in \(key)=\(spread.emptiestDomain ?? "another domain")", cost: 2))
        }
        return nil
    }
}
