import FlotillaCore

/// The latest value of recently written keys, kept by the writer so that a read of a key just
/// written (an update reads the object it changes) needs no SQLite read transaction.
///
/// Only the writer fills it, in commit order: before a commit it forgets the keys the commit
/// writes, after it records their new values (a deletion leaves the key out), and only then
/// resumes the writes' callers. So an entry is never older than what the database holds for its
/// key, and a key not here is read from the database. Over its byte budget it starts afresh
/// (keys then come from the database until written again).
final class LatestValues: Sendable {
    private struct State {
        var values: [String: KeyValue] = [:]
        var bytes = 0
    }

    private let budget: Int
    private let state = Locked(State())

    /// - Parameter budget: the most value bytes kept.
    init(budget: Int) {
        self.budget = budget
    }

    /// The latest value of `key` if it was written lately (nil: ask the database).
    func value(of key: String) -> KeyValue? {
        state.withLock { $0.values[key] }
    }

    /// Drops every value (when the store closes: reads must then fail as the database's do).
    func forgetAll() {
        state.withLock { $0 = State() }
    }

    /// Forgets the keys a commit about to happen writes.
    func forget(_ events: [WatchEvent]) {
        state.withLock { s in
            for event in events {
                if let removed = s.values.removeValue(forKey: event.key) { s.bytes -= removed.value.count }
            }
        }
    }

    /// Takes in one commit's events, in revision order (after ``forget(_:)`` of the same).
    func record(_ events: [WatchEvent]) {
        state.withLock { s in
            for event in events {
                switch event {
                case .put(let kv, _):
                    let replaced = s.values.updateValue(kv, forKey: kv.key)
                    s.bytes += kv.value.count - (replaced?.value.count ?? 0)
                case .delete(let previous, _):
                    // A key the same commit wrote before deleting it.
                    if let removed = s.values.removeValue(forKey: previous.key) { s.bytes -= removed.value.count }
                }
            }
            if s.bytes > budget { s = State() }
        }
    }
}
