/// The values of one node label (a topology key such as `topology.kubernetes.io/zone` or
/// `kubernetes.io/hostname`) across the nodes, numbered, so that per-cycle counting works on
/// arrays instead of strings.
///
/// Built lazily by ``ClusterState/domains(for:)`` and rebuilt after node labels change.
public final class TopologyDomains: Sendable {
    public let key: String
    /// The domain number of each node slot; -1 when the slot has no node or the node lacks the label.
    public let domainOfSlot: [Int32]
    /// The label value of each domain number.
    public let names: [String]

    init(key: String, slots: [NodeInfo?]) {
        self.key = key
        var numbers: [String: Int32] = [:]
        var names: [String] = []
        var domainOfSlot = [Int32](repeating: -1, count: slots.count)
        for (slot, info) in slots.enumerated() {
            guard let info, info.hasNode, let value = info.labels[key] else { continue }
            if let number = numbers[value] {
                domainOfSlot[slot] = number
            } else {
                let number = Int32(names.count)
                numbers[value] = number
                names.append(value)
                domainOfSlot[slot] = number
            }
        }
        self.domainOfSlot = domainOfSlot
        self.names = names
    }

    public var count: Int { names.count }

    /// The domain number of a node slot, nil when the node lacks the label.
    @inline(__always)
    public func domain(ofSlot slot: Int) -> Int? {
        guard slot < domainOfSlot.count else { return nil }
        let domain = domainOfSlot[slot]
        return domain < 0 ? nil : Int(domain)
    }
}
