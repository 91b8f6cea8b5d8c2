/// A pod that names its node (`spec.nodeName`) fits only there.
public struct NodeNameFilter: FilterPlugin {
    public var name: String { "NodeName" }
    public static let reason = "node(s) didn't match the requested node name"
    /// The rejection a scheduling cycle gets, made once so that returning it allocates nothing.
    static let rejection = Verdict.unresolvable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.pod.nodeName.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let wanted = cycle.pod.nodeName
        if node.name == wanted { return nil }
        guard explain else { return Self.rejection }
        return .unresolvable(Self.reason, detail: "the pod names node \(wanted)", fix: Fix("set spec.nodeName to \(node.name)", cost: 5))
    }
}
