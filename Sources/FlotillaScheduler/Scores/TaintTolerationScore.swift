/// Avoids nodes with `PreferNoSchedule` taints the pod does not tolerate: the fewer such
/// taints, the higher the score.
public struct TaintTolerationScore: ScorePlugin {
    public var name: String { "TaintToleration" }
    public var weight: Int64 { 3 }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        let taints = node.taints
        guard !taints.isEmpty else { return 0 }
        let tolerations = cycle.pod.tolerations.filter { $0.effect == nil || $0.effect == .preferNoSchedule }
        var count: Int64 = 0
        for taint in taints where taint.effect == .preferNoSchedule && !tolerations.tolerate(taint) { count += 1 }
        return count
    }

    public func normalize(_ scores: inout [Int64], _ cycle: CycleState, _ nodes: [NodeInfo]) {
        normalizeToMax(&scores, reverse: true)
    }
}
