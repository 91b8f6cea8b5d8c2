import FlotillaCore

/// What a pod asks of a node, summed as Kubernetes does (`PodRequests`): the larger of the sum
/// of its containers' requests and the largest need of any init container (a sidecar, an init
/// container with `restartPolicy: Always`, keeps running and adds to both), plus the pod's
/// `overhead`.
public struct PodRequests: Sendable, Equatable {
    /// The requests, as the node's free resources are checked against.
    public var amounts: ResourceAmounts
    /// Requested millicores, counting a container without a cpu request as 100m, for scoring.
    public var nonZeroMilliCPU: Int64
    /// Requested bytes of memory, counting a container without a memory request as 200Mi, for scoring.
    public var nonZeroMemory: Int64

    /// What a container without a cpu request counts as when nodes are scored (100m).
    public static let defaultMilliCPU: Int64 = 100
    /// What a container without a memory request counts as when nodes are scored (200Mi).
    public static let defaultMemory: Int64 = 200 * 1024 * 1024

    public init(amounts: ResourceAmounts, nonZeroMilliCPU: Int64, nonZeroMemory: Int64) {
        self.amounts = amounts
        self.nonZeroMilliCPU = nonZeroMilliCPU
        self.nonZeroMemory = nonZeroMemory
    }

    /// The requests of a pod `spec`.
    public init(spec: JSON) {
        let containers = spec["containers"].array ?? []
        let initContainers = spec["initContainers"].array ?? []
        let overhead = ResourceAmounts(json: spec["overhead"])
        amounts = Self.combine(containers, initContainers, overhead) { ResourceAmounts(json: $0["resources"]["requests"]) }
        let nonZero = Self.combine(containers, initContainers, overhead) { container in
            let requests = container["resources"]["requests"]
            var amounts = ResourceAmounts(json: requests)
            if requests[ResourceAmounts.cpu].isNull { amounts.milliCPU = Self.defaultMilliCPU }
            if requests[ResourceAmounts.memoryName].isNull { amounts.memory = Self.defaultMemory }
            return amounts
        }
        nonZeroMilliCPU = nonZero.milliCPU
        nonZeroMemory = nonZero.memory
    }

    /// Kubernetes' sum: containers (and sidecars) add up; each ordinary init container needs its
    /// own requests plus the sidecars started before it; the pod needs the larger of the two,
    /// plus its overhead.
    private static func combine(
        _ containers: [JSON], _ initContainers: [JSON], _ overhead: ResourceAmounts,
        _ requests: (JSON) -> ResourceAmounts
    ) -> ResourceAmounts {
        var total = ResourceAmounts()
        for container in containers { total.add(requests(container)) }
        var sidecars = ResourceAmounts()
        var largestInit = ResourceAmounts()
        for container in initContainers {
            var need = requests(container)
            if container["restartPolicy"].string == "Always" {
                total.add(need)
                sidecars.add(need)
                need = sidecars
            } else {
                need.add(sidecars)
            }
            largestInit = ResourceAmounts.largest(largestInit, need)
        }
        var result = ResourceAmounts.largest(total, largestInit)
        result.add(overhead)
        return result
    }
}
