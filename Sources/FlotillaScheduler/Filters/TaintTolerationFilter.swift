/// Keeps pods off nodes with `NoSchedule` or `NoExecute` taints they do not tolerate.
///
/// A toleration matches a taint by key (an empty key with `Exists` matches every key), by
/// value (`Exists` matches any) and by effect (none given matches every effect). Kubernetes
/// reports the first untolerated taint: `node(s) had untolerated taint {key: value}`.
public struct TaintTolerationFilter: FilterPlugin {
    public var name: String { "TaintToleration" }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func mayRejectAnyNode(_ cycle: CycleState) -> Bool { cycle.state.nodesTaintedAgainstScheduling > 0 }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let taints = node.taints
        guard !taints.isEmpty else { return nil }
        let tolerations = cycle.pod.tolerations
        guard let first = taints.first(where: { $0.forbidsScheduling && !tolerations.tolerate($0) }) else { return nil }
        guard explain else { return .unresolvable(first.reason) }
        let untolerated = taints.filter { $0.forbidsScheduling && !tolerations.tolerate($0) }
        let names = untolerated.map(\.description).joined(separator: ", ")
        let additions = untolerated.map(Self.toleration(for:)).joined(separator: ", ")
        return .unresolvable(
            first.reason, detail: "untolerated taint(s) \(names)",
            fix: Fix("add toleration\(untolerated.count > 1 ? "s" : "") \(additions)", cost: Double(untolerated.count)))
    }

    /// The toleration that tolerates `taint`, as `key=value:Effect` (`key:Effect` for `Exists`).
    static func toleration(for taint: Taint) -> String {
        taint.value.isEmpty ? "\(taint.key):\(taint.effect) (operator Exists)" : "\(taint.key)=\(taint.value):\(taint.effect)"
    }
}
