/// Prefers nodes by preferred inter-pod affinity: for each preferred term of the pod, its
/// weight times the matching pods in the node's domain (subtracted for anti-affinity), plus
/// the same for running pods' terms toward this pod; scaled so the lowest node gets 0 and the
/// highest 100.
public struct InterPodAffinityScore: ScorePlugin {
    public var name: String { "InterPodAffinity" }
    public var weight: Int64 { 2 }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.affinityPreferences.isEmpty }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for preference in cycle.affinityPreferences {
            if let count = preference.counts.count(atSlot: node.slot) { total += preference.weight * Int64(count) }
        }
        return total
    }

    public func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo]) {
        guard let lowest = scores.min(), let highest = scores.max() else { return }
        let range = highest - lowest
        for i in scores.indices {
            scores[i] = range > 0 ? maxNodeScore * (scores[i] - lowest) / range : 0
        }
    }
}
