import Foundation

/// What a topology spread constraint needs per cycle: the matching pods per domain, counted
/// only on the nodes the constraint considers, and the emptiest domain's count.
public struct SpreadCounts {
    public let constraint: TopologySpreadConstraint
    public let domains: TopologyDomains
    /// Matching pods per domain number (on considered nodes only).
    public private(set) var counts: [Int32]
    /// Whether a domain has at least one considered node.
    public let domainConsidered: [Bool]
    /// Whether each node slot is considered (has every key, matches the pod's node affinity if
    /// the policy honours it, and its taints are tolerated if that policy honours them).
    let slotConsidered: [Bool]
    /// 1 when the pod itself matches the constraint's selector.
    public let selfMatch: Int32
    /// The fewest matching pods in a considered domain (0 when fewer domains exist than `minDomains`).
    public private(set) var minimum: Int32
    /// The weight of the constraint in the spread score, log(domains + 2).
    public let scoreWeight: Double

    init(constraint: TopologySpreadConstraint, domains: TopologyDomains, slotConsidered: [Bool], slotCounts: [Int: Int32], selfMatch: Bool) {
        self.constraint = constraint
        self.domains = domains
        self.slotConsidered = slotConsidered
        var considered = [Bool](repeating: false, count: domains.count)
        for (slot, isConsidered) in slotConsidered.enumerated() where isConsidered {
            if let domain = domains.domain(ofSlot: slot) { considered[domain] = true }
        }
        var counts = [Int32](repeating: 0, count: domains.count)
        for (slot, count) in slotCounts where slot < slotConsidered.count && slotConsidered[slot] {
            if let domain = domains.domain(ofSlot: slot) { counts[domain] += count }
        }
        self.domainConsidered = considered
        self.counts = counts
        self.selfMatch = selfMatch ? 1 : 0
        self.minimum = 0
        let domainCount = considered.filter { $0 }.count
        self.scoreWeight = log(Double(domainCount + 2))
        self.minimum = computeMinimum()
    }

    /// The count in the domain of a node slot; nil when the node lacks the topology key.
    @inline(__always)
    public func count(atSlot slot: Int) -> Int32? {
        domains.domain(ofSlot: slot).map { counts[$0] }
    }

    /// How many considered domains there are.
    public var consideredDomainCount: Int { domainConsidered.filter { $0 }.count }

    /// The considered domain with the fewest matching pods, if any.
    public var emptiestDomain: String? {
        var best: (Int, Int32)?
        for (domain, considered) in domainConsidered.enumerated() where considered {
            if best == nil || counts[domain] < best!.1 { best = (domain, counts[domain]) }
        }
        return best.map { domains.names[$0.0] }
    }

    private func computeMinimum() -> Int32 {
        if let minDomains = constraint.minDomains, consideredDomainCount < minDomains { return 0 }
        var lowest: Int32?
        for (domain, considered) in domainConsidered.enumerated() where considered {
            lowest = min(lowest ?? counts[domain], counts[domain])
        }
        return lowest ?? 0
    }

    /// Counts `pod` in or out of the domain of `slot`, if the slot is considered and the pod matches.
    mutating func adjust(for pod: PodInfo, atSlot slot: Int, by delta: Int32, namespaceLabels: [String: [String: String]]) {
        guard slot < slotConsidered.count, slotConsidered[slot], let domain = domains.domain(ofSlot: slot),
            constraint.selector.matches(pod, namespaceLabels: namespaceLabels)
        else { return }
        counts[domain] += delta
        minimum = computeMinimum()
    }
}

/// For one Marathon constraint, how many pods of the pod's group run on nodes with each value
/// of the constraint's field.
public struct MarathonCounts {
    public let constraint: MarathonConstraint
    public private(set) var byValue: [String: Int]

    init(constraint: MarathonConstraint, groupSlots: [Int: Int32], slots: [NodeInfo?]) {
        self.constraint = constraint
        var byValue: [String: Int] = [:]
        for (slot, count) in groupSlots {
            guard slot < slots.count, let info = slots[slot],
                let value = constraint.value(nodeName: info.name, labels: info.labels)
            else { continue }
            byValue[value, default: 0] += Int(count)
        }
        self.byValue = byValue
    }

    /// Counts a pod of the group in or out of the value of `node`.
    mutating func adjust(node: NodeInfo, by delta: Int) {
        guard let value = constraint.value(nodeName: node.name, labels: node.labels) else { return }
        let updated = (byValue[value] ?? 0) + delta
        byValue[value] = updated > 0 ? updated : nil
    }
}
