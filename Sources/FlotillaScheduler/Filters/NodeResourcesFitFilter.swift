/// Keeps pods on nodes with room for their requests (cpu, memory, ephemeral storage, extended
/// resources such as `nvidia.com/gpu`) and below the node's pod limit, counting what runs
/// there, what is assumed, and what higher-priority pods waiting after a preemption reserve.
///
/// Each shortage is its own reason (`Insufficient cpu`, `Insufficient memory`, `Too many pods`,
/// …), as in Kubernetes; a pod requesting nothing only needs a free pod slot.
public struct NodeResourcesFitFilter: FilterPlugin {
    public var name: String { "NodeResourcesFit" }
    public static let tooManyPods = "Too many pods"

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { true }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let pod = cycle.pod
        // Fields are read one by one: this runs for every node in every cycle.
        var usedCPU = node.requested.milliCPU
        var usedMemory = node.requested.memory
        var usedStorage = node.requested.ephemeralStorage
        var podCount = node.podCount
        var reserved: ResourceAmounts?
        if cycle.hasNominations,
            let (load, count) = cycle.state.nominatedLoad(onSlot: node.slot, priorityAtLeast: pod.priority, excluding: pod.key)
        {
            reserved = load
            usedCPU += load.milliCPU
            usedMemory += load.memory
            usedStorage += load.ephemeralStorage
            podCount += count
        }
        var short: [String] = []
        if podCount + 1 > node.allowedPods { short.append(ResourceAmounts.podsName) }
        let wantCPU = pod.requests.amounts.milliCPU
        let wantMemory = pod.requests.amounts.memory
        let wantStorage = pod.requests.amounts.ephemeralStorage
        if wantCPU > 0 && wantCPU > node.allocatable.milliCPU - usedCPU { short.append(ResourceAmounts.cpu) }
        if wantMemory > 0 && wantMemory > node.allocatable.memory - usedMemory { short.append(ResourceAmounts.memoryName) }
        if wantStorage > 0 && wantStorage > node.allocatable.ephemeralStorage - usedStorage {
            short.append(ResourceAmounts.ephemeralStorageName)
        }
        if !pod.requests.amounts.scalar.isEmpty {
            for (name, amount) in pod.requests.amounts.scalar where amount > 0 {
                let used = (node.requested.scalar[name] ?? 0) + (reserved?.scalar[name] ?? 0)
                if amount > (node.allocatable.scalar[name] ?? 0) - used { short.append(name) }
            }
        }
        if short.isEmpty && !explain { return nil }
        let reasons = short.map { $0 == ResourceAmounts.podsName ? Self.tooManyPods : "Insufficient \($0)" }
        guard explain else { return Verdict(outcome: .unschedulable, reasons: reasons) }

        let request = pod.requests.amounts
        var used = node.requested
        if let reserved { used.add(reserved) }
        let allocatable = node.allocatable
        let allowedPods = node.allowedPods

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
