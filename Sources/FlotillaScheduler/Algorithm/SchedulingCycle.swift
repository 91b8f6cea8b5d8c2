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
        let active = filters.filter { $0.applies(to: cycle) && $0.mayRejectAnyNode(cycle) }

        if !pod.nominatedNodeName.isEmpty, let nominated = state.node(named: pod.nominatedNodeName), nominated.node != nil,
            active.allSatisfy({ $0.filter(cycle, nominated, explain: false)?.passed ?? true })
        {
            return .success(Placement(nodeName: nominated.name, examined: 1, feasible: 1))
        }

        let wanted = NodeSampling.feasibleNodesToFind(allNodes: nodes.count, percentage: profile.percentageOfNodesToScore)
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(min(wanted, nodes.count))
        // Each judged node's first rejection with the node's place in the judging order, kept
        // while no node has passed: only a cycle that finds no node orders and counts them.
        var rejected: [(order: Int, slot: Int, verdict: Verdict)] = []
        let start = state.nextStartIndex % nodes.count
        var examined = 0
        // Nodes are judged in batches, each filter over a whole batch, with the outcome the node
        // by node loop would have: a node's first failing filter is the one counted, and a
        // batch that yields more feasible nodes than wanted counts as judged only up to the
        // last one wanted.
        while examined < nodes.count, feasible.count < wanted {
            let size = min(nodes.count - examined, max(wanted - feasible.count, Self.smallestBatch))
            let batch = (0..<size).map { offset in nodes[(start + examined + offset) % nodes.count] }
            let judged = Self.judge(batch, by: active, cycle)
            let room = wanted - feasible.count
            let cut = judged.positions.count >= room ? judged.positions[room - 1] + 1 : size
            if feasible.isEmpty, judged.passing.isEmpty {
                for rejection in judged.rejections {
                    rejected.append((examined + rejection.position, rejection.slot, rejection.verdict))
                }
            }
            feasible.append(contentsOf: judged.passing.prefix(room))
            examined += cut
        }
        state.nextStartIndex = (start + examined) % nodes.count

        guard !feasible.isEmpty else {
            var reasonCounts: [String: Int] = [:]
            var resolvable: [Int] = []
            rejected.sort { $0.order < $1.order }
            for (_, slot, verdict) in rejected {
                for reason in verdict.reasons { reasonCounts[reason, default: 0] += 1 }
                if verdict.outcome == .unschedulable { resolvable.append(slot) }
            }
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

    /// The fewest nodes judged in one batch, so that a cycle short of only a few feasible nodes
    /// does not judge the rest one by one.
    static let smallestBatch = 16

    /// Runs `filters` in order over `batch`, each over the nodes the earlier ones passed:
    /// the nodes that pass them all with their positions in the batch, in the batch's order,
    /// and each other node's first rejection, grouped by filter.
    static func judge(
        _ batch: consuming [NodeInfo], by filters: [any FilterPlugin], _ cycle: CycleState
    ) -> (passing: [NodeInfo], positions: [Int], rejections: [(position: Int, slot: Int, verdict: Verdict)]) {
        var remaining = batch
        var positions = Array(remaining.indices)
        var rejections: [(position: Int, slot: Int, verdict: Verdict)] = []
        for filter in filters where !remaining.isEmpty {
            let rejected = filter.rejections(cycle, remaining)
            guard !rejected.isEmpty else { continue }
            // `rejected` is in the order of `remaining`: keep the others, in place.
            var next = 0
            var kept = 0
            for index in remaining.indices {
                if next < rejected.count, rejected[next].position == index {
                    rejections.append((positions[index], remaining[index].slot, rejected[next].verdict))
                    next += 1
                } else {
                    positions[kept] = positions[index]
                    remaining.swapAt(kept, index)
                    kept += 1
                }
            }
            positions.removeLast(positions.count - kept)
            remaining.removeLast(remaining.count - kept)
        }
        return (remaining, positions, rejections)
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
