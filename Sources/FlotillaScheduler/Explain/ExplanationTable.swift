extension PodExplanation {
    /// The explanation as people read it: a summary, a table of nodes × the rules that
    /// rejected some node (each cell `pass` or the reason with its numbers), the best scores,
    /// and the suggested changes.
    public func rendered() -> String {
        var lines: [String] = []
        let state = nodeName.map { "placed on \($0)" } ?? "pending"
        lines.append("Pod \(namespace)/\(name) (scheduler \(schedulerName), \(scoring)): \(state)")
        if !requests.isEmpty {
            lines.append("Requests: " + requests.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append(message)

        let failing = rules.filter { rule in nodes.contains { $0.verdicts.contains { $0.rule == rule && !$0.passed } } }
        let passing = rules.filter { !failing.contains($0) }
        if !nodes.isEmpty {
            lines.append("")
            var rows: [[String]] = [["NODE", "FITS", "SCORE"] + failing]
            for entry in nodes {
                var row = [entry.node, entry.feasible ? "yes" : "no", entry.score.map(String.init) ?? "-"]
                for rule in failing {
                    guard let verdict = entry.verdicts.first(where: { $0.rule == rule }) else {
                        row.append("-")
                        continue
                    }
                    if verdict.passed {
                        row.append("pass")
                    } else {
                        row.append(verdict.detail.isEmpty ? verdict.reasons.joined(separator: ", ") : verdict.detail)
                    }
                }
                rows.append(row)
            }
            lines += Self.aligned(rows)
        }
        if !passing.isEmpty {
            lines.append("Passed on every node: " + passing.joined(separator: ", "))
        }
        if !bestScores.isEmpty {
            lines.append("")
            lines.append("Best scores:")
            for score in bestScores {
                let parts = score.scores.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(score.node)  \(score.total)  (\(parts))")
            }
        }
        if !suggestions.isEmpty {
            lines.append("")
            lines.append("Smallest changes that would let it fit:")
            for suggestion in suggestions { lines.append("  - " + suggestion) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rows padded into columns three spaces apart.
    static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 3) }
            }
            return line
        }
    }
}
