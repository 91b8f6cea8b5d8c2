import FlotillaCore
import Foundation

/// The pods to evict so that a pod that fits nowhere fits on one node.
public struct PreemptionPlan: Sendable {
    public let nodeName: String
    /// The pods to evict, most important first.
    public let victims: [PodInfo]
    /// How many of them a disruption budget would rather keep.
    public let budgetViolations: Int
}

extension SchedulingStack {
    /// Kubernetes' default preemption: on each node where evicting pods could help, remove
    /// every pod of lower priority; if the pod then fits, give back as many of them as still
    /// leave it room (those protected by a disruption budget first, most important first). Of
    /// the nodes where this works, pick the one with the fewest budget violations, then the
    /// lowest highest victim priority, the lowest priority sum, the fewest victims, and the
    /// most recently started victims.
    ///
    /// Returns nil when the pod may not preempt (`preemptionPolicy: Never`), when it already
    /// waits for pods it preempted to terminate, or when no eviction would make it fit.
    public func preempt(
        _ pod: PodInfo, failure: FitFailure, in state: ClusterState, budgets: [DisruptionBudget],
        random: inout SchedulingRandom
    ) -> PreemptionPlan? {
        guard !pod.neverPreempts, failure.preFilterMessage == nil else { return nil }
        if !pod.nominatedNodeName.isEmpty, let nominated = state.node(named: pod.nominatedNodeName),
            nominated.pods.values.contains(where: { $0.isTerminating && $0.priority < pod.priority })
        {
            return nil
        }
        var candidates = Array(Set(failure.resolvableSlots)).sorted().compactMap { state.slots[$0] }.filter { $0.node != nil }
        guard !candidates.isEmpty else { return nil }
        let limit = min(candidates.count, max(100, state.candidates.count / 10))
        if limit < candidates.count {
            let offset = Int.random(in: 0..<candidates.count, using: &random)
            candidates = Array((candidates[offset...] + candidates[..<offset]).prefix(limit))
        }
        let cycle = CycleState(pod: pod, state: state)
        var best: (plan: PreemptionPlan, rank: [Int64])?
        for node in candidates {
            guard let plan = victims(for: pod, on: node, cycle: cycle, budgets: budgets) else { continue }
            let rank = Self.rank(plan)
            if best == nil || rank.lexicographicallyPrecedes(best!.rank) { best = (plan, rank) }
        }
        return best?.plan
    }

    /// The victims on one node, or nil when evicting every lower-priority pod would not do.
    func victims(for pod: PodInfo, on node: NodeInfo, cycle: CycleState, budgets: [DisruptionBudget]) -> PreemptionPlan? {
        let lower = node.pods.values.filter { $0.priority < pod.priority }
        guard !lower.isEmpty else { return nil }
        let trial = node.copy()
        var cycle = cycle
        for victim in lower {
            trial.remove(victim)
            cycle.adjust(for: victim, on: trial, by: -1)
        }
        guard fits(cycle, on: trial) else { return nil }

        let important = lower.sorted { a, b in
            a.priority != b.priority ? a.priority > b.priority : (a.startTime, a.key) < (b.startTime, b.key)
        }
        var allowed = budgets.map(\.disruptionsAllowed)
        var protected: [PodInfo] = []
        var unprotected: [PodInfo] = []
        for candidate in important {
            var violates = false
            for (i, budget) in budgets.enumerated() where budget.covers(candidate) {
                allowed[i] -= 1
                if allowed[i] < 0 { violates = true }
            }
            if violates { protected.append(candidate) } else { unprotected.append(candidate) }
        }
        var victims: [PodInfo] = []
        var violations = 0
        for (group, isProtected) in [(protected, true), (unprotected, false)] {
            for candidate in group {
                trial.add(candidate)
                cycle.adjust(for: candidate, on: trial, by: 1)
                if fits(cycle, on: trial) { continue }
                trial.remove(candidate)
                cycle.adjust(for: candidate, on: trial, by: -1)
                victims.append(candidate)
                if isProtected { violations += 1 }
            }
        }
        return victims.isEmpty ? nil : PreemptionPlan(nodeName: node.name, victims: victims, budgetViolations: violations)
    }

    /// The order of preference among plans (smaller first).
    static func rank(_ plan: PreemptionPlan) -> [Int64] {
        let highest = plan.victims.map { Int64($0.priority) }.max() ?? Int64(Int32.min)
        let sum = plan.victims.reduce(Int64(0)) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 }
        // Later start times rank first: negate the earliest start, read as seconds since 1970.
        let earliest = plan.victims.map(\.startTime).min() ?? ""
        let started = Int64(Timestamp.parse(earliest)?.timeIntervalSince1970 ?? 0)
        return [Int64(plan.budgetViolations), highest, sum, Int64(plan.victims.count), -started]
    }
}
