/// How a profile prefers to use node resources.
public enum ScoringStrategy: String, Sendable, Codable, CaseIterable {
    /// Spread: prefer the nodes with the most free cpu and memory (Kubernetes' default; Swarm's spread).
    case leastAllocated = "LeastAllocated"
    /// Binpack: prefer the fullest nodes that still fit (Swarm's binpack), leaving whole nodes free.
    case mostAllocated = "MostAllocated"
}

/// Scores nodes by cpu and memory use after placing the pod, counting containers without a
/// request as 100m cpu and 200Mi memory: the freer the better under `LeastAllocated`, the fuller
/// the better under `MostAllocated`. Resources a node has none of are left out.
public struct ResourceAllocationScore: ScorePlugin {
    public let strategy: ScoringStrategy
    public var name: String { strategy == .leastAllocated ? "NodeResourcesFit(LeastAllocated)" : "NodeResourcesFit(MostAllocated)" }
    public var weight: Int64 { 1 }

    public init(strategy: ScoringStrategy) {
        self.strategy = strategy
    }

    public func applies(to cycle: CycleState) -> Bool { true }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        let allocatable = node.allocatable
        let pod = cycle.pod.requests
        let cpu = resourceScore(requested: node.nonZeroMilliCPU + pod.nonZeroMilliCPU, capacity: allocatable.milliCPU)
        let memory = resourceScore(requested: node.nonZeroMemory + pod.nonZeroMemory, capacity: allocatable.memory)
        switch (cpu, memory) {
        case let (c?, m?): return (c + m) / 2
        case let (c?, nil): return c
        case let (nil, m?): return m
        case (nil, nil): return 0
        }
    }

    /// The score of one resource; nil when the node has none of it.
    func resourceScore(requested: Int64, capacity: Int64) -> Int64? {
        guard capacity > 0 else { return nil }
        switch strategy {
        case .leastAllocated:
            return requested > capacity ? 0 : (capacity - requested) * maxNodeScore / capacity
        case .mostAllocated:
            return min(requested, capacity) * maxNodeScore / capacity
        }
    }
}
