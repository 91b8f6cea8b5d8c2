extension SchedulingStack {
    /// Judges a pod against every node with every filter, explained, and scores the nodes that
    /// pass. `pod` must be the pending form (no `spec.nodeName`), and `state` must not count it;
    /// `placedOn` names the node it actually runs on, if any.
    public func explain(_ pod: PodInfo, in state: ClusterState, placedOn: String? = nil) -> PodExplanation {
        let nodes = state.candidates.sorted { $0.name < $1.name }
        let cycle = CycleState(pod: pod, state: state)
        let active = filters.filter { $0.applies(to: cycle) }

        var entries: [PodExplanation.NodeEntry] = []
        var feasible: [NodeInfo] = []
        var reasonCounts: [String: Int] = [:]
        var fixes: [(node: String, fixes: [Fix])] = []
        for node in nodes {
            var verdicts: [PodExplanation.RuleVerdict] = []
            var firstFailure: Verdict?
            var nodeFixes: [Fix] = []
            var fixable = true
            for filter in active {
                let verdict = filter.filter(cycle, node, explain: true) ?? .pass
                verdicts.append(.init(rule: filter.name, passed: verdict.passed, reasons: verdict.reasons, detail: verdict.detail))
                guard !verdict.passed else { continue }
                if firstFailure == nil { firstFailure = verdict }
                if let fix = verdict.fix { nodeFixes.append(fix) } else { fixable = false }
            }
            if let firstFailure {
                for reason in firstFailure.reasons { reasonCounts[reason, default: 0] += 1 }
                if fixable { fixes.append((node.name, nodeFixes)) }
            } else {
                feasible.append(node)
            }
            entries.append(.init(node: node.name, feasible: firstFailure == nil, verdicts: verdicts, score: nil))
        }

        var best: [PodExplanation.NodeScore] = []
        if !feasible.isEmpty {
            let (totals, byPlugin) = score(cycle, feasible)
            for (i, node) in feasible.enumerated() {
                var scores: [String: Int64] = [:]
                for plugin in byPlugin { scores[plugin.name] = plugin.scores[i] }
                best.append(.init(node: node.name, total: totals[i], scores: scores))
                if let row = entries.firstIndex(where: { $0.node == node.name }) { entries[row].score = totals[i] }
            }
            best.sort { $0.total != $1.total ? $0.total > $1.total : $0.node < $1.node }
        }

        var message: String
        if let preFilterMessage = cycle.preFilterMessage {
            message = FitFailure(nodeCount: nodes.count, preFilterMessage: preFilterMessage).message
        } else if feasible.isEmpty {
            message = FitFailure(nodeCount: nodes.count, reasonCounts: reasonCounts).message
        } else {
            message = "\(feasible.count)/\(nodes.count) nodes fit; the best is \(best[0].node) (score \(best[0].total))"
        }
        if let placedOn {
            if let rank = best.firstIndex(where: { $0.node == placedOn }) {
                message = "placed on \(placedOn), which ranks \(rank + 1) of the \(best.count) of \(nodes.count) nodes that fit now "
                    + "(score \(best[rank].total); best \(best[0].node), \(best[0].total))"
            } else {
                message = "placed on \(placedOn), which it would not fit now; " + message
            }
        }

        var suggestions: [String] = []
        if feasible.isEmpty && cycle.preFilterMessage == nil {
            let ranked = fixes.map { candidate in
                (node: candidate.node, fixes: candidate.fixes, cost: candidate.fixes.reduce(0.0) { total, fix in total + fix.cost })
            }
            .sorted { $0.cost != $1.cost ? $0.cost < $1.cost : $0.node < $1.node }
            var seen = Set<String>()
            for candidate in ranked {
                let text = candidate.fixes.map(\.text).joined(separator: "; ")
                guard seen.insert(text).inserted else { continue }
                suggestions.append("to fit on \(candidate.node): \(text)")
                if suggestions.count == 3 { break }
            }
        } else if let error = pod.constraintsError {
            suggestions = ["fix the \(MarathonConstraint.annotation) annotation: \(error)"]
        } else if let preFilterMessage = cycle.preFilterMessage {
            suggestions = ["create what is missing: \(preFilterMessage)"]
        }

        let requests = pod.requests.amounts
        var described: [String: String] = [:]
        for name in requests.names { described[name] = ResourceAmounts.describe(requests.amount(of: name), of: name) }
        return PodExplanation(
            namespace: pod.namespace, name: pod.name,
            schedulerName: pod.schedulerName.isEmpty ? SchedulingProfile.defaultSchedulerName : pod.schedulerName,
            scoring: profile.scoring.rawValue, nodeName: placedOn, requests: described, rules: active.map(\.name),
            message: message, nodes: entries, bestScores: Array(best.prefix(5)), suggestions: suggestions)
    }
}
