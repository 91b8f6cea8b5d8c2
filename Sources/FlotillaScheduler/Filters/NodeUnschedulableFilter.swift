/// Keeps pods off cordoned nodes (`spec.unschedulable`), unless they tolerate the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint.
public struct NodeUnschedulableFilter: FilterPlugin {
    public var name: String { "NodeUnschedulable" }
    public static let reason = "node(s) were unschedulable"
    /// The rejection a scheduling cycle gets, made once so that returning it allocates nothing.
    static let rejection = Verdict.unresolvable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func mayRejectAnyNode(_ cycle: CycleState) -> Bool { cycle.state.cordonedNodes > 0 }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        guard node.unschedulable, !cycle.pod.tolerations.tolerate(Taint.unschedulable) else { return nil }
        guard explain else { return Self.rejection }
        return .unresolvable(
            Self.reason, detail: "the node is cordoned",
            fix: Fix("uncordon \(node.name) (kubectl uncordon \(node.name))", cost: 1.5))
    }
}
