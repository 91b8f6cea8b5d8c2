/// Pods counted per topology domain (per zone, per node, …) for one affinity term.
///
/// The counted pods are either those matching a selection (the pods a pod's own terms are
/// about) or those carrying a term (running pods whose anti-affinity is against the pod being
/// scheduled). Preemption adjusts the counts to ask what removing some pods would change.
public struct DomainCounts {
    /// Which pods are counted.
    public enum Source {
        case matching(PodSelection)
        case carrying(PodAffinityTerm, ClusterState.TermKind)
    }

    public let source: Source
    public let domains: TopologyDomains
    /// Pods per domain number.
    public private(set) var counts: [Int32]
    /// Pods counted in all domains together.
    public private(set) var total: Int

    init(source: Source, domains: TopologyDomains, slotCounts: [Int: Int32]) {
        self.source = source
        self.domains = domains
        var counts = [Int32](repeating: 0, count: domains.count)
        var total = 0
        for (slot, count) in slotCounts {
            guard let domain = domains.domain(ofSlot: slot) else { continue }
            counts[domain] += count
            total += Int(count)
        }
        self.counts = counts
        self.total = total
    }

    /// The count in the domain of a node slot; nil when the node lacks the topology key.
    @inline(__always)
    public func count(atSlot slot: Int) -> Int32? {
        domains.domain(ofSlot: slot).map { counts[$0] }
    }

    /// Whether `pod` is one of the pods counted.
    func includes(_ pod: PodInfo, namespaceLabels: [String: [String: String]]) -> Bool {
        switch source {
        case .matching(let selection): return selection.matches(pod, namespaceLabels: namespaceLabels)
        case .carrying(let term, let kind): return kind.terms(of: pod).contains(term)
        }
    }

    /// Counts `pod` in (delta 1) or out of (delta -1) the domain of `slot`, if it is counted.
    mutating func adjust(for pod: PodInfo, atSlot slot: Int, by delta: Int32, namespaceLabels: [String: [String: String]]) {
        guard let domain = domains.domain(ofSlot: slot), includes(pod, namespaceLabels: namespaceLabels) else { return }
        counts[domain] += delta
        total += Int(delta)
    }
}

/// Domain counts with the weight they carry in the inter-pod affinity score (negative for
/// anti-affinity).
public struct WeightedDomainCounts {
    public var counts: DomainCounts
    public let weight: Int64
}
