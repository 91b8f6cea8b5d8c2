import FlotillaCore
import FlotillaEtcdRPC
import Synchronization

/// The highly available ``Store``: a real etcd v3 cluster, using etcd's own revisions,
/// transactions, watches and compaction.
///
/// Reads, writes, compaction and watches go over etcd's gRPC API (``EtcdClient``), which tries
/// the next endpoint when one cannot be reached. Call ``close()`` before dropping it.
public final class EtcdStore: Store {
    /// How many undelivered events one watcher may hold before it is dropped with `.expired`.
    public static let watchBufferCapacity = 8192

    private let client: EtcdClient
    private let watches = WatchTasks()

    /// Connects to etcd at `endpoints` (e.g. `["http://127.0.0.1:2379"]`) and checks that one answers.
    public init(endpoints: [String]) async throws {
        let parsed = try EtcdEndpoint.parse(endpoints)
        client = EtcdClient(endpoints: parsed)
        do {
            _ = try await client.range(EtcdMessages.revisionProbe())
        } catch {
            client.close()
            throw error
        }
    }

    public func currentRevision() async throws -> Int64 {
        try await client.range(EtcdMessages.revisionProbe()).header.revision
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await client.range(EtcdMessages.range(key)).kvs.first.map(EtcdMessages.keyValue)
    }

    public func list(prefix: String, after: String?, limit: Int, revision: Int64?) async throws -> ListResult {
        let range = KeyRange(prefix: prefix)
        var start = range.start
        if let after {
            let afterBytes = Array(after.utf8)
            if !afterBytes.lexicographicallyPrecedes(range.start) { start = afterBytes + [0] }
        }
        let reply = try await client.range(EtcdMessages.range(from: start, to: range.end, limit: limit, revision: revision ?? 0))
        let items = reply.kvs.map(EtcdMessages.keyValue)
        let at = revision.flatMap { $0 > 0 ? $0 : nil } ?? reply.header.revision
        return ListResult(items: items, revision: at, more: reply.more, remaining: max(0, reply.count - Int64(items.count)))
    }

    public func create(_ key: String, value: [UInt8]) async throws -> Int64 {
        let reply = try await client.txn(EtcdMessages.txn(EtcdMessages.absent(key), success: EtcdMessages.putOp(key, value: value)))
        guard reply.succeeded else { throw StoreErrors.alreadyExists(key) }
        return reply.header.revision
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64 {
        let reply = try await client.txn(EtcdMessages.txn(
            EtcdMessages.precondition(key, expectedRevision: expectedRevision),
            success: EtcdMessages.putOp(key, value: value),
            failure: EtcdMessages.rangeOp(key, keysOnly: true)))
        guard reply.succeeded else { throw failure(of: key, reply) }
        return reply.header.revision
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64) {
        let reply = try await client.txn(EtcdMessages.txn(
            EtcdMessages.precondition(key, expectedRevision: expectedRevision),
            success: EtcdMessages.deleteOp(key),
            failure: EtcdMessages.rangeOp(key, keysOnly: true)))
        guard reply.succeeded else { throw failure(of: key, reply) }
        guard let previous = reply.responses.first?.responseDeleteRange.prevKvs.first else {
            throw EtcdErrors.malformed("delete reply without the previous value")
        }
        return (EtcdMessages.keyValue(previous), reply.header.revision)
    }

    /// Why a guarded txn failed: the key is gone (`.notFound`) or was changed (`.conflict`).
    private func failure(of key: String, _ reply: Etcdserverpb_TxnResponse) -> FlotillaError {
        let found = reply.responses.first?.responseRange.kvs.isEmpty == false
        return found ? StoreErrors.conflict(key) : StoreErrors.notFound(key)
    }

    /// Watches keys under `prefix` after `revision` (0 = from now). Throws `.expired` at once
    /// when `revision` is older than etcd's compacted revision (or later, from the stream, if
    /// compaction overtakes the watch); the stream also throws `.expired` if the watcher falls
    /// more than ``watchBufferCapacity`` events behind. A broken connection is resumed on the
    /// next endpoint from the last delivered revision.
    public func watch(prefix: String, afterRevision revision: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let after: Int64
        if revision <= 0 {
            // "From now" is the revision at this call, so writes racing with the watch's
            // creation in etcd are not missed.
            after = try await currentRevision()
        } else {
            after = revision
            do {
                _ = try await client.range(EtcdMessages.revisionProbe(at: revision))
            } catch let error as FlotillaError where error.code == .timeout {
                // A future revision: the watch simply waits for it.
            }
        }
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: WatchEvent.self, bufferingPolicy: .bufferingOldest(EtcdStore.watchBufferCapacity))
        let watch = EtcdWatch(client: client, range: KeyRange(prefix: prefix), after: after, continuation: continuation)
        let task = watches.start { await watch.run() }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Compacts etcd's history before `revision`. A revision already compacted does nothing;
    /// one above the current revision is refused.
    public func compact(revision: Int64) async throws {
        do {
            try await client.compact(EtcdMessages.compaction(at: revision))
        } catch let error as FlotillaError where error.code == .expired {
            // Already compacted at or past `revision`.
        }
    }

    /// The oldest readable revision (0 if nothing was compacted), found by probing reads
    /// (etcd does not report it directly): a binary search over the revisions.
    public func compactedRevision() async throws -> Int64 {
        var low: Int64 = 1, high = try await currentRevision()
        guard high > 1, try await isCompacted(1) else { return 0 }
        // Invariant: `low` is compacted, `high` is readable.
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if try await isCompacted(middle) { low = middle } else { high = middle }
        }
        return high
    }

    private func isCompacted(_ revision: Int64) async throws -> Bool {
        do {
            _ = try await client.range(EtcdMessages.revisionProbe(at: revision))
            return false
        } catch let error as FlotillaError where error.code == .expired {
            return true
        }
    }

    /// Ends every watch and closes the connections.
    public func close() async throws {
        let tasks = watches.takeAll()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        client.close()
    }
}

/// The tasks of the open etcd watches, so that closing the store can end them.
private final class WatchTasks: Sendable {
    private struct State {
        var nextID = 0
        var tasks: [Int: Task<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Starts `body` in a task that forgets itself when done.
    func start(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        // Registered under the lock, so the task's own removal cannot run before its insertion.
        state.withLock { s in
            s.nextID += 1
            let id = s.nextID
            let task = Task { [self] in
                await body()
                _ = state.withLock { $0.tasks.removeValue(forKey: id) }
            }
            s.tasks[id] = task
            return task
        }
    }

    func takeAll() -> [Task<Void, Never>] {
        state.withLock { s in
            let tasks = Array(s.tasks.values)
            s.tasks.removeAll()
            return tasks
        }
    }
}
