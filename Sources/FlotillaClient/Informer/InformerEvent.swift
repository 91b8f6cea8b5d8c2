import FlotillaCore

/// A change an ``Informer`` saw, after applying it to its cache.
public enum InformerEvent: Sendable, Equatable {
    case added(JSON)
    case updated(old: JSON, new: JSON)
    /// The object's last known state (after a relist, the state before it disappeared).
    case deleted(JSON)

    /// The object the event is about (the new state for an update).
    public var object: JSON {
        switch self {
        case .added(let o), .deleted(let o): return o
        case .updated(_, let new): return new
        }
    }

    /// The cache key of the object, `namespace/name` or `name`.
    public var key: String { ObjectCache.key(for: object) }
}
