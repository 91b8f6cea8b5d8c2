import FlotillaCore

/// The status a controller last wrote per object, kept until its informer shows the object
/// changed: a sync that runs before the cache has caught up with the controller's own write
/// starts from what was written, instead of undoing it with the older status.
///
/// Versions are only compared for equality, so resourceVersion stays opaque.
final class WrittenStatuses: Sendable {
    private struct Entry {
        /// The resourceVersion of the object the status was computed from.
        var readVersion: String
        var status: JSON
    }

    private let entries = Locked<[String: Entry]>([:])

    /// `object` (from the cache) with the status to start from.
    func current(_ object: JSON, key: String) -> JSON {
        let version = object["metadata"]["resourceVersion"].string ?? ""
        let written = entries.withLock { all -> JSON? in
            guard let entry = all[key] else { return nil }
            if entry.readVersion == version { return entry.status }
            all[key] = nil
            return nil
        }
        guard let written else { return object }
        var result = object
        result["status"] = written
        return result
    }

    /// Records that `status` was written over `object` as the cache showed it.
    func wrote(_ status: JSON, over object: JSON, key: String) {
        let version = object["metadata"]["resourceVersion"].string ?? ""
        entries.withLock { $0[key] = Entry(readVersion: version, status: status) }
    }

    /// Forgets `key` (its object was deleted).
    func forget(_ key: String) {
        entries.withLock { $0[key] = nil }
    }
}
