import FlotillaCore
import Foundation

/// The creations and deletions a controller made and has not yet seen come back through its
/// informer, per controller key (Kubernetes' "controller expectations"): while any are pending,
/// the cache is behind and the controller must not count again, or it would create twice.
/// Expectations older than five minutes are given up on.
final class Expectations: Sendable {
    private struct Pending {
        var adds: Int
        var deletes: Int
        var since: Date
    }

    private let pending = Locked<[String: Pending]>([:])
    private static let timeout: TimeInterval = 300

    /// Records that `adds` creations and `deletes` deletions for `key` are on their way, on
    /// top of those still pending.
    func expect(_ key: String, adds: Int = 0, deletes: Int = 0) {
        pending.withLock { all in
            var entry = all[key] ?? Pending(adds: 0, deletes: 0, since: Date())
            entry.adds = max(0, entry.adds) + max(0, adds)
            entry.deletes = max(0, entry.deletes) + max(0, deletes)
            entry.since = Date()
            all[key] = entry
        }
    }

    /// One creation for `key` was observed (or failed, so it will never be).
    func observedAdd(_ key: String) {
        pending.withLock { $0[key]?.adds -= 1 }
    }

    /// One deletion for `key` was observed (or failed).
    func observedDelete(_ key: String) {
        pending.withLock { $0[key]?.deletes -= 1 }
    }

    /// Whether `key` has nothing pending, so the cache can be trusted.
    func satisfied(_ key: String) -> Bool {
        pending.withLock { all in
            guard let entry = all[key] else { return true }
            if (entry.adds <= 0 && entry.deletes <= 0) || Date().timeIntervalSince(entry.since) > Self.timeout {
                all[key] = nil
                return true
            }
            return false
        }
    }

    /// Forgets `key` (its object was deleted).
    func forget(_ key: String) {
        pending.withLock { $0[key] = nil }
    }
}
