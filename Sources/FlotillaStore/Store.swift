import FlotillaCore

/// One key with its value and revisions, as the etcd v3 model has it.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    /// The revision that created this key (since its last deletion).
    public var createRevision: Int64
    /// The revision of the last change to this key; objects serve it as `resourceVersion`.
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A page of a prefix listing, read at one revision.
public struct ListResult: Sendable {
    public var items: [KeyValue]
    /// The store revision the listing was read at.
    public var revision: Int64
    /// Whether more keys follow the last item (use the last key as `after` to continue).
    public var more: Bool
    /// How many keys under the prefix remain after this page, when the backend knows it.
    public var remaining: Int64?

    public init(items: [KeyValue], revision: Int64, more: Bool, remaining: Int64? = nil) {
        self.items = items
        self.revision = revision
        self.more = more
        self.remaining = remaining
    }
}

/// A change seen by a watch.
public enum WatchEvent: Sendable, Equatable {
    /// `kv` was created (`previous == nil`) or updated.
    case put(kv: KeyValue, previous: KeyValue?)
    /// The key was deleted at `revision`; `previous` is its last value.
    case delete(previous: KeyValue, revision: Int64)

    /// The revision of this event.
    public var revision: Int64 {
        switch self {
        case .put(let kv, _): return kv.modRevision
        case .delete(_, let r): return r
        }
    }

    public var key: String {
        switch self {
        case .put(let kv, _): return kv.key
        case .delete(let p, _): return p.key
        }
    }
}

/// A revisioned key/value store with watch: the etcd v3 model.
///
/// Every write advances one global revision. Errors are ``FlotillaError``s: `.alreadyExists` on
/// create of a present key, `.conflict` on a failed compare-and-swap, `.notFound` on update or
/// delete of an absent key, `.expired` for a read or watch at a compacted revision.
public protocol Store: Sendable {
    /// The current revision of the store.
    func currentRevision() async throws -> Int64

    /// The value of `key`, or nil.
    func get(_ key: String) async throws -> KeyValue?

    /// Keys starting with `prefix`, in key order, strictly after `after` when given, at most
    /// `limit` (0 = all), read at `revision` (nil = current; a compacted one throws `.expired`).
    func list(prefix: String, after: String?, limit: Int, revision: Int64?) async throws -> ListResult

    /// Creates `key`; throws `.alreadyExists` if present. Returns the new revision.
    func create(_ key: String, value: [UInt8]) async throws -> Int64

    /// Replaces `key` if its modRevision equals `expectedRevision` (nil = unconditionally, but
    /// the key must exist). Throws `.conflict` or `.notFound`. Returns the new revision.
    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64

    /// Deletes `key` if its modRevision equals `expectedRevision` (nil = unconditionally).
    /// Returns the deleted value and the revision of the deletion.
    func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64)

    /// Events for keys under `prefix` after `revision` (0 = from now), replayed from history and
    /// then live, in revision order. The stream throws `.expired` if `revision` was compacted, or
    /// if the subscriber fell too far behind (it must relist).
    func watch(prefix: String, afterRevision revision: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error>

    /// Removes history older than `revision`.
    func compact(revision: Int64) async throws

    /// The oldest revision still readable.
    func compactedRevision() async throws -> Int64

    /// Releases resources; pending writes complete first.
    func close() async throws
}
