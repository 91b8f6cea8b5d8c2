/// Keeps pods whose claims are bound to persistent volumes with node affinity (local volumes)
/// on nodes those volumes can be reached from.
public struct VolumeNodeAffinityFilter: FilterPlugin {
    public var name: String { "VolumeBinding" }
    public static let reason = "node(s) had volume node affinity conflict"
    /// The rejection a scheduling cycle gets, made once so that returning it allocates nothing.
    static let rejection = Verdict.unresolvable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.volumeAffinity.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        for (volume, terms) in cycle.volumeAffinity where !terms.contains(where: { $0.matches(name: node.name, labels: node.labels) }) {
            guard explain else { return Self.rejection }
            let described = terms.map { "(\($0))" }.joined(separator: " or ")
            return .unresolvable(
                Self.reason, detail: "volume \(volume) is reachable only from nodes matching \(described)",
                fix: Fix("use a volume reachable from \(node.name)", cost: 4))
        }
        return nil
    }
}
