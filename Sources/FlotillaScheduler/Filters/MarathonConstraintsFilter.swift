/// Enforces Marathon constraints from the `flotilla.io/constraints` annotation
/// (`UNIQUE`, `CLUSTER`, `GROUP_BY`, `LIKE`, `UNLIKE`, `MAX_PER`, `IS`) against node labels
/// (`hostname` is the node name), across the pods of the pod's group.
public struct MarathonConstraintsFilter: FilterPlugin {
    public var name: String { "MarathonConstraints" }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.marathon.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let labels = node.labels
        for counts in cycle.marathon {
            let constraint = counts.constraint
            let value = constraint.value(nodeName: node.name, labels: labels)
            if constraint.allows(nodeValue: value, groupCounts: counts.byValue) { continue }
            let outcome: Verdict.Outcome = constraint.dependsOnGroup ? .unschedulable : .unresolvable
            guard explain else { return Verdict(outcome: outcome, reasons: [constraint.reason]) }
            return Verdict(
                outcome: outcome, reasons: [constraint.reason],
                detail: constraint.explainRejection(nodeValue: value, groupCounts: counts.byValue),
                fix: Fix(Self.fix(constraint, node: node), cost: 2))
        }
        return nil
    }

    static func fix(_ constraint: MarathonConstraint, node: NodeInfo) -> String {
        let field = constraint.field
        switch constraint.op {
        case .unique, .maxPer, .groupBy:
            return "add a node with a \(field) value the group uses less, or drop \(constraint)"
        case .cluster, .is:
            return constraint.value.map { "label \(node.name) \(field)=\($0), or drop \(constraint)" } ?? "drop \(constraint)"
        case .like:
            return "label \(node.name) \(field) with a value matching \(constraint.value ?? ""), or drop \(constraint)"
        case .unlike:
            return "relabel \(node.name) \(field) with a value not matching \(constraint.value ?? ""), or drop \(constraint)"
        }
    }
}
