/// The scheduler's picture of the cluster, kept up to date from the informers' events: the
/// nodes with what runs on them, the pods bound or assumed, namespace labels, nominations, and
/// the indexes that keep a scheduling cycle cheap (topology domains, pod counts per selection,
/// affinity terms carried by running pods, pods per owner group).
///
/// A pod is *assumed* on a node from the moment the scheduler picks the node until the informer
/// reports it bound, so the next decision already sees it; a failed binding forgets it.
///
/// Not thread-safe: the ``Scheduler`` guards it with one lock.
public final class ClusterState {
    /// Where a pod counts: its node slot, and whether it is only assumed there.
    public struct PodRecord {
        public let pod: PodInfo
        public let slot: Int
        public let assumed: Bool
    }

    /// The kinds of affinity terms a running pod may carry toward pods that come later.
    public enum TermKind: Hashable, Sendable, CaseIterable {
        case requiredAffinity, requiredAntiAffinity, preferredAffinity, preferredAntiAffinity

        func terms(of pod: PodInfo) -> [PodAffinityTerm] {
            switch self {
            case .requiredAffinity: return pod.requiredAffinity
            case .requiredAntiAffinity: return pod.requiredAntiAffinity
            case .preferredAffinity: return pod.preferredAffinity
            case .preferredAntiAffinity: return pod.preferredAntiAffinity
            }
        }
    }

    public private(set) var slots: [NodeInfo?] = []
    private var slotByName: [String: Int] = [:]
    private var freeSlots: [Int] = []
    /// The nodes pods may be placed on (those whose Node object exists), in a stable order.
    public private(set) var candidates: [NodeInfo] = []
    public private(set) var pods: [String: PodRecord] = [:]
    public private(set) var namespaceLabels: [String: [String: String]] = [:]
    private var domainCache: [String: TopologyDomains] = [:]
    private var selections = PodCountIndex()
    /// Affinity terms of running pods, by kind, with how many pods on each slot carry them.
    public private(set) var carriedTerms: [TermKind: [PodAffinityTerm: [Int: Int32]]] = [:]
    /// How many pods of each owner group run on each slot (for Marathon constraints).
    public private(set) var ownerCounts: [OwnerGroup: [Int: Int32]] = [:]
    /// Pods that preempted others and wait for room on a node, by key.
    public private(set) var nominations: [String: (pod: PodInfo, slot: Int)] = [:]
    /// PersistentVolumeClaims by `namespace/name`, with the volume each is bound to ("" while unbound).
    public private(set) var claims: [String: String] = [:]
    /// The required node affinity of the PersistentVolumes that have one, by volume name.
    public private(set) var volumeAffinity: [String: [NodeSelectorTerm]] = [:]
    /// Where the next cycle starts looking at nodes; moves on by the nodes each cycle examined.
    var nextStartIndex = 0
    /// How many nodes are cordoned (`spec.unschedulable`).
    public private(set) var cordonedNodes = 0
    /// How many nodes carry a `NoSchedule` or `NoExecute` taint.
    public private(set) var nodesTaintedAgainstScheduling = 0

    public init() {}

    // MARK: - Nodes

    /// The node info of a node by name.
    public func node(named name: String) -> NodeInfo? {
        slotByName[name].flatMap { slots[$0] }
    }

    /// Adds or updates a node; returns whether anything scheduling depends on changed.
    @discardableResult
    public func upsertNode(_ view: NodeView) -> Bool {
        let info = nodeInfo(for: view.name)
        let old = info.node
        guard old != view else { return false }
        countRestrictions(of: info, by: -1)
        info.node = view
        countRestrictions(of: info, by: 1)
        if info.orderPosition < 0 {
            info.orderPosition = candidates.count
            candidates.append(info)
        }
        if old?.labels != view.labels { domainCache = [:] }
        return true
    }

    /// Removes a node; pods that still name it keep their accounting until they go.
    public func removeNode(named name: String) {
        guard let info = node(named: name), info.node != nil else { return }
        countRestrictions(of: info, by: -1)
        info.node = nil
        let position = info.orderPosition
        let last = candidates.removeLast()
        if last !== info {
            candidates[position] = last
            last.orderPosition = position
        }
        info.orderPosition = -1
        domainCache = [:]
        releaseIfEmpty(info)
    }

    /// Counts (delta 1) or uncounts (delta -1) the node's cordon and scheduling taints.
    private func countRestrictions(of info: NodeInfo, by delta: Int) {
        guard info.hasNode else { return }
        if info.unschedulable { cordonedNodes += delta }
        if info.taints.contains(where: \.forbidsScheduling) { nodesTaintedAgainstScheduling += delta }
    }

    private func nodeInfo(for name: String) -> NodeInfo {
        if let slot = slotByName[name], let info = slots[slot] { return info }
        let slot = freeSlots.popLast() ?? slots.count
        let info = NodeInfo(slot: slot, name: name)
        if slot == slots.count { slots.append(info) } else { slots[slot] = info }
        slotByName[name] = slot
        domainCache = [:]
        return info
    }

    private func releaseIfEmpty(_ info: NodeInfo) {
        guard info.node == nil, info.pods.isEmpty else { return }
        slots[info.slot] = nil
        slotByName[info.name] = nil
        freeSlots.append(info.slot)
    }

    /// The numbered values of a topology key across the nodes.
    public func domains(for key: String) -> TopologyDomains {
        if let cached = domainCache[key] { return cached }
        let domains = TopologyDomains(key: key, slots: slots)
        domainCache[key] = domains
        return domains
    }

    // MARK: - Pods

    /// Records a pod the informer reports bound to a node (replacing an assumption about it),
    /// which ends any nomination it had. Finished pods free their resources and are removed;
    /// pending pods are not recorded (an assumption about one stays until its binding is
    /// confirmed or fails).
    public func upsertPod(_ pod: PodInfo) {
        guard !pod.nodeName.isEmpty else { return }
        clearNomination(key: pod.key)
        removePod(key: pod.key)
        guard !pod.isFinished else { return }
        add(pod, on: nodeInfo(for: pod.nodeName), assumed: false)
    }

    /// Records a new report of a pod already counted on the node it is bound to (its binding
    /// confirmed, its phase changed) with nothing it counts for changed (``PodInfo/progressed(to:)``):
    /// the record is replaced in place, or removed when the pod finished, and any nomination
    /// ends. Returns false, changing nothing, when the pod is not counted on that node.
    public func progress(_ pod: PodInfo) -> Bool {
        guard let record = pods[pod.key], record.pod.uid == pod.uid, let info = slots[record.slot], info.name == pod.nodeName else {
            return false
        }
        if pod.isFinished {
            removePod(key: pod.key)
        } else {
            pods[pod.key] = PodRecord(pod: pod, slot: record.slot, assumed: false)
            info.pods[pod.key] = pod
        }
        clearNomination(key: pod.key)
        return true
    }

    /// Assumes a pod runs on a node, until the informer confirms the binding or it is forgotten.
    public func assume(_ pod: PodInfo, on nodeName: String) {
        removePod(key: pod.key)
        add(pod, on: nodeInfo(for: nodeName), assumed: true)
        clearNomination(key: pod.key)
    }

    /// Forgets an assumed pod (its binding failed); a confirmed binding is kept.
    public func forget(_ pod: PodInfo) {
        guard let record = pods[pod.key], record.assumed, record.pod.uid == pod.uid else { return }
        removePod(key: pod.key)
    }

    /// Whether the pod under `key` is assumed but not yet confirmed.
    public func isAssumed(key: String) -> Bool { pods[key]?.assumed ?? false }

    /// Removes a pod and everything it counted for.
    public func removePod(key: String) {
        guard let record = pods.removeValue(forKey: key), let info = slots[record.slot] else { return }
        info.remove(record.pod)
        updateIndexes(record.pod, slot: record.slot, delta: -1)
        releaseIfEmpty(info)
    }

    private func add(_ pod: PodInfo, on info: NodeInfo, assumed: Bool) {
        pods[pod.key] = PodRecord(pod: pod, slot: info.slot, assumed: assumed)
        info.add(pod)
        updateIndexes(pod, slot: info.slot, delta: 1)
    }

    private func updateIndexes(_ pod: PodInfo, slot: Int, delta: Int32) {
        selections.update(pod, slot: slot, delta: delta, namespaceLabels: namespaceLabels)
        ownerCounts[pod.ownerGroup, default: [:]].add(delta, at: slot)
        if ownerCounts[pod.ownerGroup]?.isEmpty == true { ownerCounts[pod.ownerGroup] = nil }
        guard pod.hasPodAffinity else { return }
        for kind in TermKind.allCases {
            for term in kind.terms(of: pod) {
                carriedTerms[kind, default: [:]][term, default: [:]].add(delta, at: slot)
                if carriedTerms[kind]?[term]?.isEmpty == true { carriedTerms[kind]?[term] = nil }
            }
        }
    }

    /// How many pods matching `selection` run on each slot (counted once, then kept current).
    public func podCounts(for selection: PodSelection) -> [Int: Int32] {
        selections.counts(for: selection, pods: pods.values.lazy.map { (pod: $0.pod, slot: $0.slot) }, namespaceLabels: namespaceLabels)
    }

    // MARK: - Namespaces

    /// Records a namespace's labels (for affinity terms with a namespace selector).
    public func setNamespace(_ name: String, labels: [String: String]?) {
        guard namespaceLabels[name] != labels else { return }
        namespaceLabels[name] = labels
        selections.dropNamespaceDependent()
    }

    // MARK: - Volumes

    /// Records a claim and the volume it is bound to (nil: the claim is gone); returns whether
    /// anything changed.
    @discardableResult
    public func setClaim(_ key: String, volumeName: String?) -> Bool {
        guard claims[key] != volumeName else { return false }
        claims[key] = volumeName
        return true
    }

    /// Records a volume's required node affinity (nil: none, or the volume is gone); returns
    /// whether anything changed.
    @discardableResult
    public func setVolume(_ name: String, nodeAffinity terms: [NodeSelectorTerm]?) -> Bool {
        let old = volumeAffinity[name]
        volumeAffinity[name] = terms
        return old?.map(\.description) != terms?.map(\.description)
    }

    // MARK: - Nominations

    /// Notes that `pod` waits for room on a node after preempting pods there; until it is
    /// placed, pods of lower priority do not take that room.
    public func nominate(_ pod: PodInfo, on nodeName: String) {
        guard let slot = slotByName[nodeName] else { return }
        nominations[pod.key] = (pod, slot)
    }

    public func clearNomination(key: String) {
        nominations[key] = nil
    }

    /// The requests and pod count of the pods nominated to a slot with at least `priority`,
    /// other than the pod under `key`; nil when there are none.
    public func nominatedLoad(onSlot slot: Int, priorityAtLeast priority: Int32, excluding key: String) -> (ResourceAmounts, Int)? {
        if nominations.isEmpty { return nil }
        var load = ResourceAmounts()
        var count = 0
        for (nominatedKey, nomination) in nominations
        where nomination.slot == slot && nominatedKey != key && nomination.pod.priority >= priority {
            load.add(nomination.pod.requests.amounts)
            count += 1
        }
        return count == 0 ? nil : (load, count)
    }
}
