import FlotillaCore

/// The embedded ``Store``: a revisioned log in one SQLite database (WAL, `synchronous=FULL`,
/// so an acknowledged write survives a crash or power loss).
///
/// One dedicated writer thread group-commits all queued writes; reads run on their own
/// reader threads; watches are fanned out in process. Call ``close()`` before dropping it.
public final class SQLiteStore: Store {
    /// How many undelivered live events one watcher may hold before it is dropped with `.expired`.
    public static let watchBufferCapacity = 8192

    private let writer: SQLiteWriter
    private let readers: SQLiteReaderPool
    private let hub: WatchHub
    private let latest: LatestValues

    /// Opens (or creates) the store in the database file at `path`.
    ///
    /// Opening touches the disk briefly; call it at startup, not on a hot path.
    /// - Parameter latestValuesBudget: how many bytes of recently written values to keep for
    ///   reads of the keys just written (``get(_:)``).
    public init(
        path: String, readerThreads: Int = 2, watchBufferCapacity: Int = SQLiteStore.watchBufferCapacity,
        latestValuesBudget: Int = 32 << 20
    ) throws {
        let connection = try SQLiteConnection(path: path)
        try connection.execute(SQLiteLog.schema)
        let revision = try SQLiteLog.currentRevision(connection)
        hub = WatchHub(capacity: watchBufferCapacity)
        readers = try SQLiteReaderPool(path: path, threads: max(1, readerThreads))
        latest = LatestValues(budget: latestValuesBudget)
        writer = SQLiteWriter(connection: connection, revision: revision, hub: hub, latest: latest)
    }

    public func currentRevision() async throws -> Int64 {
        writer.committedRevision
    }

    public func get(_ key: String) async throws -> KeyValue? {
        if let recent = latest.value(of: key) { return recent }
        return try await readers.read { db in
            guard let row = try SQLiteLog.latest(db, name: key), !row.deleted else { return nil }
            return KeyValue(key: key, value: row.value, createRevision: row.createRevision, modRevision: row.id)
        }
    }

    public func list(prefix: String, after: String?, limit: Int, revision: Int64?) async throws -> ListResult {
        let range = KeyRange(prefix: prefix)
        return try await readers.snapshot { db in
            let current = try SQLiteLog.currentRevision(db)
            let compacted = try SQLiteLog.compactRevision(db)
            let at = revision.flatMap { $0 > 0 ? $0 : nil } ?? current
            if at < compacted { throw StoreErrors.compacted(at, compacted: compacted) }
            if at > current { throw StoreErrors.futureRevision(at, current: current) }
            let fetch = limit > 0 ? limit + 1 : 0
            var items = try SQLiteLog.list(db, range: range, after: after, limit: fetch, revision: at)
            let more = limit > 0 && items.count > limit
            if more { items.removeLast() }
            let remaining = more ? try SQLiteLog.count(db, range: range, after: items[items.count - 1].key, revision: at) : 0
            return ListResult(items: items, revision: at, more: more, remaining: remaining)
        }
    }

    public func create(_ key: String, value: [UInt8]) async throws -> Int64 {
        try await writer.submit(.create(key: key, value: value)).revision
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64 {
        try await writer.submit(.update(key: key, value: value, expectedRevision: expectedRevision)).revision
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64) {
        let outcome = try await writer.submit(.delete(key: key, expectedRevision: expectedRevision))
        guard let previous = outcome.previous else {
            throw FlotillaError(.internalError, "deletion of \(key) reported no previous value")
        }
        return (previous, outcome.revision)
    }

    /// Watches keys under `prefix` after `revision` (0 = from now). Throws `.expired` at once
    /// when `revision` is older than the compacted revision; the stream throws `.expired` if
    /// the watcher falls more than ``watchBufferCapacity`` events behind.
    public func watch(prefix: String, afterRevision revision: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let fromNow = revision <= 0
        let subscription = hub.subscribe(prefix: prefix, replaying: !fromNow)
        let start: Int64
        if fromNow {
            // Read after subscribing: every later commit is published to the subscription.
            start = writer.committedRevision
        } else {
            do {
                let compacted = try await readers.read { db in try SQLiteLog.compactRevision(db) }
                if revision < compacted { throw StoreErrors.compacted(revision, compacted: compacted) }
            } catch {
                hub.remove(subscription)
                throw error
            }
            start = revision
        }
        let cursor = SQLiteWatchCursor(
            prefix: prefix, after: start, replaying: !fromNow, readers: readers, hub: hub, subscription: subscription)
        return AsyncThrowingStream { try await cursor.next() }
    }

    /// Removes history before `revision`; reads at `revision` or later are unaffected. A revision
    /// at or below the compacted one does nothing; one above the current revision is refused.
    public func compact(revision: Int64) async throws {
        _ = try await writer.submit(.compact(revision: revision))
    }

    public func compactedRevision() async throws -> Int64 {
        try await readers.read { db in try SQLiteLog.compactRevision(db) }
    }

    /// Commits the queued writes, ends every watch and closes the database.
    public func close() async throws {
        await writer.close()
        latest.forgetAll()
        hub.endAll()
        await readers.close()
    }

    /// How many watches are open (for metrics).
    public var watcherCount: Int { hub.count }
}
