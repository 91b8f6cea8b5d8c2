/// A filter: judges whether a pod may run on a node.
///
/// Filters read the pod (``CycleState/pod``), what was computed for it once per cycle
/// (``CycleState``) and the node; they never change anything, and they stay cheap: they run
/// for many nodes in every cycle.
public protocol FilterPlugin: Sendable {
    /// The plugin's name, as the explanation table heads its column (Kubernetes' plugin names).
    var name: String { get }
    /// Whether the filter has anything to check for this pod; when not, it is skipped.
    func applies(to cycle: CycleState) -> Bool
    /// Whether any node of the cluster could fail the filter; when not, a scheduling cycle
    /// skips it (an explanation still shows it passing).
    func mayRejectAnyNode(_ cycle: CycleState) -> Bool
    /// The verdict for one node, nil when the node passes with nothing to say; with `explain`,
    /// including the detail and the fix.
    func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict?
    /// The nodes of `nodes` that do not pass, by position in ascending order, with their
    /// verdicts (not explained): ``filter(_:_:explain:)`` for each, called directly rather than
    /// through the plugin's existential once per node.
    func rejections(_ cycle: CycleState, _ nodes: [NodeInfo]) -> [(position: Int, verdict: Verdict)]
}

extension FilterPlugin {
    public func mayRejectAnyNode(_ cycle: CycleState) -> Bool { true }

    public func rejections(_ cycle: CycleState, _ nodes: [NodeInfo]) -> [(position: Int, verdict: Verdict)] {
        var rejected: [(position: Int, verdict: Verdict)] = []
        for position in nodes.indices {
            if let verdict = filter(cycle, nodes[position], explain: false), verdict.outcome != .pass {
                rejected.append((position, verdict))
            }
        }
        return rejected
    }
}

/// A score: ranks the nodes that passed every filter, 0 (worst) to 100 (best) after
/// ``normalize(_:)``; the scheduler sums the scores times their weights.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    var weight: Int64 { get }
    /// Whether the score can tell nodes apart for this pod; when not, it is skipped.
    func applies(to cycle: CycleState) -> Bool
    /// The raw score of one node.
    func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64
    /// The raw scores of `nodes`, in order: ``score(_:_:)`` for each, called directly rather
    /// than through the plugin's existential once per node.
    func scores(_ cycle: CycleState, _ nodes: [NodeInfo]) -> [Int64]
    /// Brings raw scores into 0…100, given all the scored nodes' raw scores in order.
    func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo])
}

extension ScorePlugin {
    public func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo]) {}

    public func scores(_ cycle: CycleState, _ nodes: [NodeInfo]) -> [Int64] { nodes.map { score(cycle, $0) } }
}

/// The highest score a plugin gives a node.
public let maxNodeScore: Int64 = 100

/// Kubernetes' `DefaultNormalizeScore`: scales scores so the highest becomes 100 (or, reversed,
/// so the highest becomes 0 and the lowest 100); all zeros stay 0 (100 when reversed).
public func normalizeToMax(_ scores: inout [Int64], reverse: Bool) {
    let highest = scores.max() ?? 0
    if highest == 0 {
        if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
        return
    }
    for i in scores.indices {
        let scaled = maxNodeScore * scores[i] / highest
        scores[i] = reverse ? maxNodeScore - scaled : scaled
    }
}
