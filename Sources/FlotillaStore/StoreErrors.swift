import FlotillaCore

/// The errors both backends throw, worded about store keys. The API server rewords them about
/// objects; their codes are what callers test.
enum StoreErrors {
    static func alreadyExists(_ key: String) -> FlotillaError {
        FlotillaError(.alreadyExists, "key \"\(key)\" already exists", name: key)
    }

    static func notFound(_ key: String) -> FlotillaError {
        FlotillaError(.notFound, "key \"\(key)\" not found", name: key)
    }

    static func conflict(_ key: String) -> FlotillaError {
        FlotillaError(.conflict, "key \"\(key)\" has been modified since the expected revision", name: key)
    }

    static func compacted(_ revision: Int64, compacted: Int64) -> FlotillaError {
        .expired("too old resource version: \(revision) (\(compacted))")
    }

    /// A read or compaction at a revision the store has not reached yet (Kubernetes answers 504).
    static func futureRevision(_ revision: Int64, current: Int64) -> FlotillaError {
        FlotillaError(.timeout, "Too large resource version: \(revision), current: \(current)")
    }
}
