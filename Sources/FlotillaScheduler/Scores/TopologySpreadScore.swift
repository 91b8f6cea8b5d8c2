/// Prefers nodes whose domains hold fewer pods matching the pod's `ScheduleAnyway` spread
/// constraints (each weighted by log(domains + 2)); nodes missing a topology key score 0.
public struct TopologySpreadScore: ScorePlugin {
    public var name: String { "PodTopologySpread" }
    public var weight: Int64 { 2 }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.softSpread.isEmpty }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        var total = 0.0
        for spread in cycle.softSpread {
            guard let count = spread.count(atSlot: node.slot) else { return Self.ignored }
            total += Double(count) * spread.scoreWeight + Double(spread.constraint.maxSkew - 1)
        }
        return Int64(total.rounded())
    }

    /// The raw score of a node missing a topology key.
    static let ignored: Int64 = -1

    public func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo]) {
        let counted = scores.filter { $0 != Self.ignored }
        let lowest = counted.min() ?? 0
        let highest = counted.max() ?? 0
        for i in scores.indices {
            if scores[i] == Self.ignored {
                scores[i] = 0
            } else if highest == 0 {
                scores[i] = maxNodeScore
            } else {
                scores[i] = maxNodeScore * (highest + lowest - scores[i]) / highest
            }
        }
    }
}
