import Foundation

/// Prefers nodes whose cpu and memory would be used in similar proportions after placing the
/// pod (so neither runs out while the other sits idle): 100 × (1 − the standard deviation of
/// the used fractions), fractions capped at 1.
public struct BalancedAllocationScore: ScorePlugin {
    public var name: String { "NodeResourcesBalancedAllocation" }
    public var weight: Int64 { 1 }

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func score(_ cycle: CycleState, _ node: NodeInfo) -> Int64 {
        let allocatable = node.allocatable
        let request = cycle.pod.requests.amounts
        guard allocatable.milliCPU > 0, allocatable.memory > 0 else { return maxNodeScore }
        let cpu = min(1, Double(node.requested.milliCPU + request.milliCPU) / Double(allocatable.milliCPU))
        let memory = min(1, Double(node.requested.memory + request.memory) / Double(allocatable.memory))
        let deviation = abs(cpu - memory) / 2
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}
