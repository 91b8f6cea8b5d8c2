/// What a scheduling cycle works out once for a pod before it judges nodes (Kubernetes'
/// PreFilter and PreScore): the pod's affinity and spread counts per topology domain, the
/// running pods whose anti-affinity rules it falls under, and its group's pods per value of
/// each Marathon constraint field.
///
/// Nothing here is computed for a pod that has no such rules, so a plain pod costs nothing.
public struct CycleState {
    public let pod: PodInfo
    public let state: ClusterState
    /// Whether any pod waits for room after a preemption (then resources reserved for it count).
    public let hasNominations: Bool
    /// The pod's required anti-affinity terms: matching pods per domain, one entry per term.
    public private(set) var antiAffinity: [DomainCounts] = []
    /// The pod's required affinity terms: pods matching all of them, per domain of each term.
    public private(set) var affinity: [DomainCounts] = []
    /// Whether the pod matches its own affinity terms (then the first of its kind may go anywhere).
    public let podMatchesOwnAffinity: Bool
    /// Running pods' required anti-affinity terms the pod falls under: carriers per domain.
    public private(set) var existingAntiAffinity: [DomainCounts] = []
    /// `DoNotSchedule` spread constraints.
    public private(set) var spread: [SpreadCounts] = []
    /// `ScheduleAnyway` spread constraints.
    public private(set) var softSpread: [SpreadCounts] = []
    /// Weighted counts for the inter-pod affinity score: the pod's preferred terms and running
    /// pods' terms toward it.
    public private(set) var affinityPreferences: [WeightedDomainCounts] = []
    /// The pod's Marathon constraints with its group's pods per field value.
    public private(set) var marathon: [MarathonCounts] = []
    /// The node affinity of the persistent volumes the pod's claims are bound to.
    public private(set) var volumeAffinity: [(volume: String, terms: [NodeSelectorTerm])] = []
    /// Why the pod cannot be placed on any node before nodes are judged (Kubernetes' PreFilter
    /// message): an unreadable `flotilla.io/constraints` annotation, a missing claim.
    public private(set) var preFilterMessage: String?

    /// The weight of a running pod's required affinity term toward the pod, in the score
    /// (Kubernetes' `hardPodAffinityWeight`).
    static let hardPodAffinityWeight: Int64 = 1

    public init(pod: PodInfo, state: ClusterState) {
        self.pod = pod
        self.state = state
        hasNominations = !state.nominations.isEmpty
        let namespaceLabels = state.namespaceLabels
        podMatchesOwnAffinity = pod.requiredAffinity.allSatisfy { $0.selector.matches(pod, namespaceLabels: namespaceLabels) }

        for term in pod.requiredAntiAffinity {
            let selection = PodSelection([term.selector])
            antiAffinity.append(DomainCounts(
                source: .matching(selection), domains: state.domains(for: term.topologyKey),
                slotCounts: state.podCounts(for: selection)))
        }
        if !pod.requiredAffinity.isEmpty {
            let selection = PodSelection(pod.requiredAffinity.map(\.selector))
            let slotCounts = state.podCounts(for: selection)
            for term in pod.requiredAffinity {
                affinity.append(DomainCounts(
                    source: .matching(selection), domains: state.domains(for: term.topologyKey), slotCounts: slotCounts))
            }
        }
        for (term, slotCounts) in state.carriedTerms[.requiredAntiAffinity] ?? [:]
        where term.selector.matches(pod, namespaceLabels: namespaceLabels) {
            existingAntiAffinity.append(DomainCounts(
                source: .carrying(term, .requiredAntiAffinity), domains: state.domains(for: term.topologyKey),
                slotCounts: slotCounts))
        }

        let hard = pod.spreadConstraints.filter(\.isHard)
        let soft = pod.spreadConstraints.filter { !$0.isHard }
        spread = Self.spreadCounts(hard, pod: pod, state: state)
        softSpread = Self.spreadCounts(soft, pod: pod, state: state)

        for (terms, sign) in [(pod.preferredAffinity, Int64(1)), (pod.preferredAntiAffinity, Int64(-1))] {
            for term in terms {
                let selection = PodSelection([term.selector])
                affinityPreferences.append(WeightedDomainCounts(
                    counts: DomainCounts(
                        source: .matching(selection), domains: state.domains(for: term.topologyKey),
                        slotCounts: state.podCounts(for: selection)),
                    weight: sign * term.weight))
            }
        }
        let carried: [(ClusterState.TermKind, Int64?)] = [
            (.requiredAffinity, Self.hardPodAffinityWeight), (.preferredAffinity, nil), (.preferredAntiAffinity, nil),
        ]
        for (kind, fixedWeight) in carried {
            for (term, slotCounts) in state.carriedTerms[kind] ?? [:] where term.selector.matches(pod, namespaceLabels: namespaceLabels) {
                let weight = fixedWeight ?? (kind == .preferredAntiAffinity ? -term.weight : term.weight)
                affinityPreferences.append(WeightedDomainCounts(
                    counts: DomainCounts(
                        source: .carrying(term, kind), domains: state.domains(for: term.topologyKey), slotCounts: slotCounts),
                    weight: weight))
            }
        }

        preFilterMessage = pod.constraintsError
        for claim in pod.claimNames {
            guard let volume = state.claims[pod.namespace + "/" + claim] else {
                preFilterMessage = preFilterMessage ?? "persistentvolumeclaim \"\(claim)\" not found"
                continue
            }
            if let terms = state.volumeAffinity[volume] { volumeAffinity.append((volume, terms)) }
        }

        if !pod.marathonConstraints.isEmpty {
            let groupSlots = state.ownerCounts[pod.ownerGroup] ?? [:]
            marathon = pod.marathonConstraints.map { MarathonCounts(constraint: $0, groupSlots: groupSlots, slots: state.slots) }
        }
    }

    /// The counts of a set of spread constraints of one kind, considering only the nodes that
    /// have all of their topology keys (and match the pod's node affinity or tolerate taints
    /// when the policies say so).
    private static func spreadCounts(_ constraints: [TopologySpreadConstraint], pod: PodInfo, state: ClusterState) -> [SpreadCounts] {
        guard !constraints.isEmpty else { return [] }
        let keyDomains = constraints.map { state.domains(for: $0.topologyKey) }
        // A numbered domain exists only for a node that carries the key, so the domain arrays
        // alone say which slots have every key (an array read, not a label lookup).
        let slotHasKeys = state.slots.indices.map { slot in keyDomains.allSatisfy { $0.domain(ofSlot: slot) != nil } }
        return constraints.map { constraint in
            let readsNodes = (constraint.honorsNodeAffinity && !pod.placement.isEmpty) || constraint.honorsNodeTaints
            guard readsNodes else { return spreadCounts(constraint, considered: slotHasKeys, pod: pod, state: state) }
            // The node info's own labels and taints are read: copying its NodeView for every
            // node in every cycle would cost more than the checks.
            var considered = [Bool](repeating: false, count: state.slots.count)
            for info in state.candidates where slotHasKeys[info.slot] {
                if constraint.honorsNodeAffinity && !pod.placement.matches(name: info.name, labels: info.labels) { continue }
                if constraint.honorsNodeTaints
                    && info.taints.contains(where: { $0.forbidsScheduling && !pod.tolerations.tolerate($0) })
                {
                    continue
                }
                considered[info.slot] = true
            }
            return spreadCounts(constraint, considered: considered, pod: pod, state: state)
        }
    }

    /// The counts of one spread constraint over the `considered` node slots.
    private static func spreadCounts(
        _ constraint: TopologySpreadConstraint, considered: [Bool], pod: PodInfo, state: ClusterState
    ) -> SpreadCounts {
        SpreadCounts(
            constraint: constraint, domains: state.domains(for: constraint.topologyKey), slotConsidered: considered,
            slotCounts: state.podCounts(for: PodSelection([constraint.selector])),
            selfMatch: constraint.selector.matches(pod, namespaceLabels: state.namespaceLabels))
    }

    /// Adjusts every count for `other` leaving (delta -1) or coming back to (delta 1) the node
    /// at `slot`, so preemption can ask which evictions would make room.
    mutating func adjust(for other: PodInfo, on node: NodeInfo, by delta: Int32) {
        let namespaceLabels = state.namespaceLabels
        let slot = node.slot
        for i in antiAffinity.indices { antiAffinity[i].adjust(for: other, atSlot: slot, by: delta, namespaceLabels: namespaceLabels) }
        for i in affinity.indices { affinity[i].adjust(for: other, atSlot: slot, by: delta, namespaceLabels: namespaceLabels) }
        for i in existingAntiAffinity.indices {
            existingAntiAffinity[i].adjust(for: other, atSlot: slot, by: delta, namespaceLabels: namespaceLabels)
        }
        for i in spread.indices { spread[i].adjust(for: other, atSlot: slot, by: delta, namespaceLabels: namespaceLabels) }
        for i in softSpread.indices { softSpread[i].adjust(for: other, atSlot: slot, by: delta, namespaceLabels: namespaceLabels) }
        if other.ownerGroup == pod.ownerGroup {
            for i in marathon.indices { marathon[i].adjust(node: node, by: Int(delta)) }
        }
    }
}
