/// Enforces required inter-pod affinity and anti-affinity: the pod's affinity terms need a
/// matching pod in the node's domain (unless no pod matches anywhere and the pod matches its
/// own terms, so the first of a group can start), its anti-affinity terms need none, and no
/// running pod's anti-affinity may be against it in that domain.
public struct InterPodAffinityFilter: FilterPlugin {
    public var name: String { "InterPodAffinity" }
    public static let affinityReason = "node(s) didn't match pod affinity rules"
    public static let antiAffinityReason = "node(s) didn't match pod anti-affinity rules"
    public static let existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules"
    /// The rejections a scheduling cycle gets, made once so that returning one allocates nothing.
    static let affinityRejection = Verdict.unresolvable(affinityReason)
    static let antiAffinityRejection = Verdict.unschedulable(antiAffinityReason)
    static let existingAntiAffinityRejection = Verdict.unschedulable(existingAntiAffinityReason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool {
        !cycle.affinity.isEmpty || !cycle.antiAffinity.isEmpty || !cycle.existingAntiAffinity.isEmpty
    }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let slot = node.slot
        if !cycle.affinity.isEmpty {
            var missingKey: String?
            var emptyTerm: DomainCounts?
            for counts in cycle.affinity {
                guard let count = counts.count(atSlot: slot) else {
                    missingKey = counts.domains.key
                    break
                }
                if count <= 0 && emptyTerm == nil { emptyTerm = counts }
            }
            let firstOfItsKind = cycle.affinity.allSatisfy { $0.total == 0 } && cycle.podMatchesOwnAffinity
            if missingKey != nil || (emptyTerm != nil && !firstOfItsKind) {
                guard explain else { return Self.affinityRejection }
                let detail = missingKey.map { "the node has no \($0) label" }
                    ?? "no pod matching the affinity runs in \(emptyTerm!.domains.key)=\(node.labels[emptyTerm!.domains.key] ?? "")"
                return .unresolvable(
                    Self.affinityReason, detail: detail,
                    fix: Fix("run a pod the affinity selects in the same \(missingKey ?? emptyTerm!.domains.key) as \(node.name)", cost: 3))
            }
        }
        // The counts are read in place by index: iterating would copy each one for every node.
        let antiAffinity = cycle.antiAffinity
        for index in antiAffinity.indices {
            guard let count = antiAffinity[index].count(atSlot: slot), count > 0 else { continue }
            guard explain else { return Self.antiAffinityRejection }
            let key = antiAffinity[index].domains.key
            return .unschedulable(
                Self.antiAffinityReason,
                detail: "\(count) pod(s) the anti-affinity selects run in \(key)=\(node.labels[key] ?? "")",
                fix: Fix("add a node with a new \(key) value, or relax the pod anti-affinity", cost: 2))
        }
        let existingAntiAffinity = cycle.existingAntiAffinity
        for index in existingAntiAffinity.indices {
            guard let count = existingAntiAffinity[index].count(atSlot: slot), count > 0 else { continue }
            guard explain else { return Self.existingAntiAffinityRejection }
            let counts = existingAntiAffinity[index]
            let key = counts.domains.key
            var owner = "running pods"
            if case .carrying(let term, _) = counts.source { owner = "\(count) running pod(s) with anti-affinity against \(term.selector)" }
            return .unschedulable(
                Self.existingAntiAffinityReason, detail: "\(owner) in \(key)=\(node.labels[key] ?? "")",
                fix: Fix("add a node with a new \(key) value, or change the labels the running pods' anti-affinity selects", cost: 2))
        }
        return nil
    }
}
