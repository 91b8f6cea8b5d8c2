import FlotillaCore

/// The latest value of recently written keys, kept by the writer so that a read of a key just
/// written (an update reads the object it changes) needs no SQLite read transaction.
///
/// Only the writer fills it, in commit order and before it resumes the writes' callers, so an
/// entry is never older than the last acknowledged write of its key: a deletion removes the
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

    /// Takes in one commit's events, in revision order.
    func record(_ events: [WatchEvent]) {
        state.withLock { s in
            for event in events {
                switch event {
                case .put(let kv, _):
                    let replaced = s.values.updateValue(kv, forKey: kv.key)
                    s.bytes += kv.value.count - (replaced?.value.count ?? 0)
                case .delete(let previous, _):
                    if let removed = s.values.removeValue(forKey: previous.key) { s.bytes -= removed.value.count }
                }
            }
            if s.bytes > budget { s = State() }
        }
    }
}
