/// Where a scheduling cycle put a pod.
public struct Placement: Sendable, Equatable {
    public let nodeName: String
    /// Nodes judged before the cycle stopped looking.
    public let examined: Int
    /// Nodes among them that passed every filter.
    public let feasible: Int
}

extension SchedulingStack {
    /// One scheduling cycle: judges nodes from a rotating start until enough feasible nodes
    /// are found (see ``NodeSampling``), scores them, and picks the best, breaking ties at
    /// random. A pod nominated to a node after preemption gets that node when it fits.
    ///
    /// Each node's first failing filter is counted for the unschedulable message; nothing else
    /// is recorded, so a cycle stays cheap. ``explain(_:in:)`` judges every node in full.
    public func schedule(
        _ pod: PodInfo, in state: ClusterState, random: inout SchedulingRandom
    ) -> Result<Placement, FitFailure> {
        let nodes = state.candidates
        guard !nodes.isEmpty else { return .failure(FitFailure(nodeCount: 0)) }
        let cycle = CycleState(pod: pod, state: state)
        if let message = cycle.preFilterMessage {
            return .failure(FitFailure(nodeCount: nodes.count, preFilterMessage: message))
        }
        let active = filters.filter { $0.applies(to: cycle) }

        if !pod.nominatedNodeName.isEmpty, let nominated = state.node(named: pod.nominatedNodeName), nominated.node != nil,
            active.allSatisfy({ $0.filter(cycle, nominated, explain: false)?.passed ?? true })
        {
            return .success(Placement(nodeName: nominated.name, examined: 1, feasible: 1))
        }

        let wanted = NodeSampling.feasibleNodesToFind(allNodes: nodes.count, percentage: profile.percentageOfNodesToScore)
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(min(wanted, nodes.count))
        var reasonCounts: [String: Int] = [:]
        var resolvable: [Int] = []
        let start = state.nextStartIndex % nodes.count
        var examined = 0
        judging: while examined < nodes.count {
            var index = start + examined
            if index >= nodes.count { index -= nodes.count }
            let node = nodes[index]
            examined += 1
            for filter in active {
                guard let verdict = filter.filter(cycle, node, explain: false), verdict.outcome != .pass else { continue }
                for reason in verdict.reasons { reasonCounts[reason, default: 0] += 1 }
                if verdict.outcome == .unschedulable { resolvable.append(node.slot) }
                continue judging
            }
            feasible.append(node)
            if feasible.count >= wanted { break }
        }
        state.nextStartIndex = (start + examined) % nodes.count

        guard !feasible.isEmpty else {
            return .failure(FitFailure(nodeCount: nodes.count, reasonCounts: reasonCounts, resolvableSlots: resolvable))
        }
        if feasible.count == 1 {
            return .success(Placement(nodeName: feasible[0].name, examined: examined, feasible: 1))
        }
        let totals = score(cycle, feasible).totals
        var best = 0
        var ties = 1
        for i in 1..<feasible.count {
            if totals[i] > totals[best] {
                best = i
                ties = 1
            } else if totals[i] == totals[best] {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { best = i }
            }
        }
        return .success(Placement(nodeName: feasible[best].name, examined: examined, feasible: feasible.count))
    }

    /// The weighted total score of each node, and each applicable plugin's normalised scores.
    func score(_ cycle: CycleState, _ nodes: [NodeInfo]) -> (totals: [Int64], byPlugin: [(name: String, scores: [Int64])]) {
        var totals = [Int64](repeating: 0, count: nodes.count)
        var byPlugin: [(name: String, scores: [Int64])] = []
        for plugin in scores where plugin.applies(to: cycle) {
            var raw = plugin.scores(cycle, nodes)
            plugin.normalize(&raw, cycle, nodes)
            let weight = plugin.weight
            for i in raw.indices { totals[i] += raw[i] * weight }
            byPlugin.append((plugin.name, raw))
        }
        return (totals, byPlugin)
    }

    /// Whether a pod passes every filter on a node (all filters judged, none explained).
    func fits(_ cycle: CycleState, on node: NodeInfo) -> Bool {
        filters.allSatisfy { !$0.applies(to: cycle) || ($0.filter(cycle, node, explain: false)?.passed ?? true) }
    }
}
