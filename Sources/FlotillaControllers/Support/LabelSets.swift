import FlotillaCore

/// One pod label set, shared by every pod that carries the same labels, so that a controller
/// can judge a set once and recognise it on the next pod by identity (``LabelVerdicts``).
final class LabelSet: Sendable {
    let labels: JSON

    init(_ labels: JSON) {
        self.labels = labels
    }
}

/// Hands out one ``LabelSet`` per distinct label set: the pods of one replica set carry the
/// same labels, so thousands of pods share a handful of sets. Sets no pod holds any more are
/// dropped whenever the table has doubled since the last sweep.
final class LabelSets: Sendable {
    private struct Table {
        var sets: [JSON: LabelSet] = [:]
        var sweepAt = 64
    }

    private let table = Locked(Table())

    init() {}

    /// The shared set for `labels`.
    func intern(_ labels: JSON) -> LabelSet {
        table.withLock { t in
            if let set = t.sets[labels] { return set }
            let set = LabelSet(labels)
            t.sets[labels] = set
            if t.sets.count >= t.sweepAt { Self.sweep(&t) }
            return set
        }
    }

    /// How many sets the table holds.
    var count: Int { table.withLock { $0.sets.count } }

    private static func sweep(_ t: inout Table) {
        for key in Array(t.sets.keys) where isKnownUniquelyReferenced(&t.sets[key]!) {
            t.sets.removeValue(forKey: key)
        }
        t.sweepAt = max(64, t.sets.count * 2)
    }
}
