/// A node together with what runs on it (or is assumed to, before its binding is confirmed):
/// the sums of the requests, the pods, the host ports in use.
///
/// Node infos live in the scheduler's ``ClusterState`` and are read and changed only under its
/// lock, so their properties skip the runtime's exclusivity checks (filters read them for every
/// node in every cycle). A node info may outlive its node while pods still name it; it is then
/// no candidate.
public final class NodeInfo {
    /// The node's index in the cluster state (stable while the node info exists).
    public let slot: Int
    public let name: String
    /// The node itself; nil when only pods that name it are known.
    @exclusivity(unchecked) public internal(set) var node: NodeView? {
        didSet {
            hasNode = node != nil
            labels = node?.labels ?? [:]
            allocatable = node?.allocatable ?? ResourceAmounts()
            allowedPods = node?.allowedPods ?? 0
            taints = node?.taints ?? []
            unschedulable = node?.unschedulable ?? false
        }
    }
    /// Whether the node itself is known (``node`` is not nil), read without copying it.
    @exclusivity(unchecked) public private(set) var hasNode = false
    /// The node's labels (none without a node), kept beside it so filters read them directly.
    @exclusivity(unchecked) public private(set) var labels: [String: String] = [:]
    /// The node's allocatable resources (none without a node).
    @exclusivity(unchecked) public private(set) var allocatable = ResourceAmounts()
    /// How many pods the node may run (0 without a node).
    @exclusivity(unchecked) public private(set) var allowedPods = 0
    /// The node's taints.
    @exclusivity(unchecked) public private(set) var taints: [Taint] = []
    /// Whether the node is cordoned.
    @exclusivity(unchecked) public private(set) var unschedulable = false
    /// The sum of the requests of the pods on the node.
    @exclusivity(unchecked) public internal(set) var requested = ResourceAmounts()
    /// The sum of the pods' cpu requests counting a missing request as 100m (for scoring).
    @exclusivity(unchecked) public internal(set) var nonZeroMilliCPU: Int64 = 0
    /// The sum of the pods' memory requests counting a missing request as 200Mi (for scoring).
    @exclusivity(unchecked) public internal(set) var nonZeroMemory: Int64 = 0
    /// The pods on the node by key.
    @exclusivity(unchecked) public internal(set) var pods: [String: PodInfo] = [:] {
        didSet { podCount = pods.count }
    }
    /// How many pods run on the node: the count of ``pods``, kept beside the other fields that
    /// filters read for every node (the dictionary's count lives in its storage, elsewhere in
    /// memory, and reading it cost a cache miss per node judged).
    @exclusivity(unchecked) public private(set) var podCount = 0
    /// Host ports in use, with how many pods use each.
    @exclusivity(unchecked) public internal(set) var usedPorts: [HostPort: Int] = [:]
    /// The node's position in the cluster state's candidate order; -1 when it is no candidate.
    @exclusivity(unchecked) var orderPosition = -1

    init(slot: Int, name: String) {
        self.slot = slot
        self.name = name
    }

    /// Adds a pod's requests, ports and membership.
    func add(_ pod: PodInfo) {
        pods[pod.key] = pod
        requested.add(pod.requests.amounts)
        nonZeroMilliCPU += pod.requests.nonZeroMilliCPU
        nonZeroMemory += pod.requests.nonZeroMemory
        for port in pod.hostPorts { usedPorts[port, default: 0] += 1 }
    }

    /// Removes what ``add(_:)`` added for the pod under `pod.key`.
    func remove(_ pod: PodInfo) {
        guard pods.removeValue(forKey: pod.key) != nil else { return }
        requested.subtract(pod.requests.amounts)
        nonZeroMilliCPU -= pod.requests.nonZeroMilliCPU
        nonZeroMemory -= pod.requests.nonZeroMemory
        for port in pod.hostPorts {
            let remaining = (usedPorts[port] ?? 1) - 1
            usedPorts[port] = remaining > 0 ? remaining : nil
        }
    }

    /// A port in use on the node that `port` conflicts with, if any.
    public func conflictingPort(_ port: HostPort) -> HostPort? {
        usedPorts.keys.first { $0.conflicts(with: port) }
    }

    /// A detached copy, to ask "what if these pods were gone" without changing the original.
    func copy() -> NodeInfo {
        let copy = NodeInfo(slot: slot, name: name)
        copy.node = node
        copy.requested = requested
        copy.nonZeroMilliCPU = nonZeroMilliCPU
        copy.nonZeroMemory = nonZeroMemory
        copy.pods = pods
        copy.usedPorts = usedPorts
        copy.orderPosition = orderPosition
        return copy
    }
}
