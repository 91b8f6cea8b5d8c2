import FlotillaClient
import FlotillaCore
import Foundation

/// The EndpointSlice writes the controller made per service and has not yet seen in its
/// informer cache. While any are pending, the cache is behind: a sync would lay endpoints out
/// over old slices and create a second slice for the same pods. Versions are only compared
/// for equality (resourceVersion stays opaque); writes not seen within ``timeout`` (the object
/// changed again meanwhile, or the informer listed afresh) are given up on.
final class EndpointSliceTracker: Sendable {
    static let timeout: TimeInterval = 5

    private struct Pending {
        /// Slice name → the resourceVersion written, or nil for a deletion.
        var writes: [String: String?] = [:]
        var since = Date()
    }

    private let pending = Locked<[String: Pending]>([:])

    /// Records that the service's slice `name` was written and is now at `resourceVersion`.
    func wrote(service: String, slice name: String, resourceVersion: String?) {
        pending.withLock { all in
            all[service, default: Pending()].writes[name] = .some(resourceVersion)
            all[service]?.since = Date()
        }
    }

    /// Records that the service's slice `name` was deleted.
    func deleted(service: String, slice name: String) {
        pending.withLock { all in
            all[service, default: Pending()].writes[name] = .some(nil)
            all[service]?.since = Date()
        }
    }

    /// Whether `cache` (the slices of the service's namespace) shows every write made for the
    /// service.
    func isCurrent(service: String, namespace: String, cache: ObjectCache) -> Bool {
        pending.withLock { all in
            guard let entry = all[service] else { return true }
            let seen = entry.writes.allSatisfy { name, version in
                let cached = cache.get(namespace: namespace, name: name)
                guard let version else { return cached == nil }
                return cached?["metadata"]["resourceVersion"].string == version
            }
            if seen || Date().timeIntervalSince(entry.since) > Self.timeout {
                all[service] = nil
                return true
            }
            return false
        }
    }

    /// Forgets the service (it was deleted).
    func forget(service: String) {
        pending.withLock { $0[service] = nil }
    }
}
