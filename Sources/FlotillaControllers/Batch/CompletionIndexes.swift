/// The completed indexes of an Indexed Job as `status.completedIndexes` writes them: ascending,
/// runs of consecutive indexes compressed to ranges, separated by commas (`"0-2,5,7-8"`).
enum CompletionIndexes {
    /// `indexes` in the compressed form; `""` when there are none.
    static func format(_ indexes: some Sequence<Int>) -> String {
        var parts: [String] = []
        var run: (first: Int, last: Int)?
        for index in Set(indexes).sorted() {
            if let current = run, index == current.last + 1 {
                run = (current.first, index)
                continue
            }
            if let current = run { parts.append(text(current)) }
            run = (index, index)
        }
        if let current = run { parts.append(text(current)) }
        return parts.joined(separator: ",")
    }

    /// The indexes a compressed string names; malformed parts (and indexes at or above `limit`)
    /// are left out.
    static func parse(_ text: String, limit: Int) -> Set<Int> {
        var indexes = Set<Int>()
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(bounds[0]), first >= 0 else { continue }
            let last = bounds.count == 2 ? Int(bounds[1]) : (bounds.count == 1 ? first : nil)
            guard let last, last >= first, first < limit else { continue }
            indexes.formUnion(first...min(last, limit - 1))
        }
        return indexes
    }

    private static func text(_ run: (first: Int, last: Int)) -> String {
        run.first == run.last ? String(run.first) : "\(run.first)-\(run.last)"
    }
}
