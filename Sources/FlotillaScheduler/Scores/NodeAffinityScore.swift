/// Prefers nodes matching the pod's preferred node affinity terms: the sum of the weights of
/// the terms a node matches, scaled so the best node gets 100.
public struct NodeAffinityScore: ScorePlugin {
    public var name: String { "NodeAffinity" }
    public var weight: Int64 { 2 }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.pod.preferredNodeTerms.isEmpty }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        let labels = node.labels
        var total: Int64 = 0
        for preferred in cycle.pod.preferredNodeTerms where preferred.term.matches(name: node.name, labels: labels) {
            total += preferred.weight
        }
        return total
    }

    public func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo]) {
        normalizeToMax(&scores, reverse: false)
    }
}
