import FlotillaCore

/// One event of a watch: an object was added, modified or deleted, or a bookmark carries the
/// latest resourceVersion.
///
/// ERROR events never appear here: a watch stream throws them as ``FlotillaError``s (a 410 as
/// `.expired`, meaning the caller must list again).
public struct WatchEvent: Sendable, Equatable {
    /// The kind of change, as the API names it.
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
    }

    public var type: EventType
    /// The object after the change (for `deleted`, its last state; for `bookmark`, an object
    /// carrying only `metadata.resourceVersion`).
    public var object: JSON

    public init(type: EventType, object: JSON) {
        self.type = type
        self.object = object
    }

    /// The object's `metadata.resourceVersion`.
    public var resourceVersion: String? { object[path: ["metadata", "resourceVersion"]].string }
}
