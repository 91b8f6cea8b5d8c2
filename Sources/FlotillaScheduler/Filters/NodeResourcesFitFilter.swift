/// Keeps pods on nodes with room for their requests (cpu, memory, ephemeral storage, extended
/// resources such as `nvidia.com/gpu`) and below the node's pod limit, counting what runs
/// there, what is assumed, and what higher-priority pods waiting after a preemption reserve.
///
/// Each shortage is its own reason (`Insufficient cpu`, `Insufficient memory`, `Too many pods`,
/// …), as in Kubernetes; a pod requesting nothing only needs a free pod slot.
public struct NodeResourcesFitFilter: FilterPlugin {
    public let name = "NodeResourcesFit"
    public static let tooManyPods = "Too many pods"

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict {
        let pod = cycle.pod
        let request = pod.requests.amounts
        var used = node.requested
        var podCount = node.podCount
        if let (reserved, count) = cycle.state.nominatedLoad(onSlot: node.slot, priorityAtLeast: pod.priority, excluding: pod.key) {
            used.add(reserved)
            podCount += count
        }
        let allocatable = node.allocatable
        let allowedPods = node.allowedPods
        var short: [String] = []
        if podCount + 1 > allowedPods { short.append(ResourceAmounts.podsName) }
        if !request.isZero {
            if request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - used.milliCPU { short.append(ResourceAmounts.cpu) }
            if request.memory > 0 && request.memory > allocatable.memory - used.memory { short.append(ResourceAmounts.memoryName) }
            if request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - used.ephemeralStorage {
                short.append(ResourceAmounts.ephemeralStorageName)
            }
            for (name, amount) in request.scalar where amount > 0 {
                if amount > (allocatable.scalar[name] ?? 0) - (used.scalar[name] ?? 0) { short.append(name) }
            }
        }
        if short.isEmpty && !explain { return .pass }
        let reasons = short.map { $0 == ResourceAmounts.podsName ? Self.tooManyPods : "Insufficient \($0)" }
        guard explain else { return Verdict(outcome: .unschedulable, reasons: reasons) }

        var failing: [String] = []
        var passing: [String] = []
        var fixes: [String] = []
        var cost = 0.0
        if short.contains(ResourceAmounts.podsName) {
            failing.append("pods: \(podCount) of \(allowedPods) already")
            fixes.append("free a pod slot on \(node.name) (it runs \(podCount) of \(allowedPods) pods)")
            cost += 3
        }
        for name in request.names {
            let wanted = request.amount(of: name)
            let capacity = allocatable.amount(of: name)
            let free = capacity - used.amount(of: name)
            let line = "\(name): requested \(ResourceAmounts.describe(wanted, of: name)), "
                + "free \(ResourceAmounts.describe(max(free, 0), of: name)) of \(ResourceAmounts.describe(capacity, of: name))"
            guard short.contains(name) else {
                passing.append(line)
                continue
            }
            failing.append(line)
            if free > 0 {
                fixes.append("lower \(name) request to ≤ \(ResourceAmounts.describe(free, of: name))")
                cost += Double(wanted - free) / Double(wanted)
            } else {
                fixes.append("free \(name) on \(node.name) (none of its \(ResourceAmounts.describe(capacity, of: name)) is free)")
                cost += 2
            }
        }
        if short.isEmpty {
            let detail = passing.isEmpty ? "requests nothing; \(podCount) of \(allowedPods) pods" : passing.joined(separator: "; ")
            return Verdict(outcome: .pass, detail: detail)
        }
        return Verdict(
            outcome: .unschedulable, reasons: reasons, detail: (failing + passing).joined(separator: "; "),
            fix: Fix(fixes.joined(separator: " and "), cost: cost))
    }
}
