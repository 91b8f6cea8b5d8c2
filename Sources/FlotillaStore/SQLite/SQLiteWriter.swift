import FlotillaCore
import Foundation
import Synchronization

/// The single writer of an SQLite store: one dedicated thread that drains every queued write
/// into one transaction (group commit), checks each write's precondition in order inside it,
/// commits (durably: WAL with `synchronous=FULL`), publishes the events to the watchers in
/// revision order and then resumes the callers.
final class SQLiteWriter: Sendable {
    /// One requested change.
    enum Operation: Sendable {
        case create(key: String, value: [UInt8])
        case update(key: String, value: [UInt8], expectedRevision: Int64?)
        case delete(key: String, expectedRevision: Int64?)
        case compact(revision: Int64)
    }

    /// What a successful change did.
    struct Outcome: Sendable {
        var revision: Int64
        /// The value replaced or deleted, if any.
        var previous: KeyValue?
    }

    private struct Job: Sendable {
        var operation: Operation
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    /// The most writes one transaction takes, to bound commit latency.
    private static let maxBatch = 2048
    private static let gatherRounds = 4
    private static let gatherPauseMicroseconds: UInt32 = 30

    private let queue = ThreadJobQueue<Job>()
    private let committed: CommittedRevision
    private let completion: ThreadCompletion

    /// Starts the writer thread on `connection`, whose database is at `revision`.
    init(connection: SQLiteConnection, revision: Int64, hub: WatchHub, latest: LatestValues) {
        let queue = queue
        let committed = CommittedRevision(revision)
        self.committed = committed
        completion = startDedicatedThread(named: "flotilla-sqlite-writer") {
            var current = revision
            while true {
                var batch = queue.take(max: SQLiteWriter.maxBatch)
                if batch.isEmpty { break }
                SQLiteWriter.gatherMore(into: &batch, from: queue)
                SQLiteWriter.commit(batch, on: connection, current: &current, committed: committed, hub: hub, latest: latest)
            }
        }
    }

    /// The revision of the last committed write.
    var committedRevision: Int64 { committed.value.load(ordering: .acquiring) }

    /// Queues `operation` and returns once it is durably committed (or failed).
    func submit(_ operation: Operation) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            if !queue.append(Job(operation: operation, continuation: continuation)) {
                continuation.resume(throwing: FlotillaError(.serviceUnavailable, "the store is closed"))
            }
        }
    }

    /// Finishes the queued writes, then stops the thread.
    func close() async {
        queue.close()
        await completion.wait()
    }

    // MARK: On the writer thread

    /// Waits a few microseconds at a time while more writes keep arriving, so that one commit
    /// (one fsync) carries the writes of callers that the previous commit just resumed.
    private static func gatherMore(into batch: inout [Job], from queue: ThreadJobQueue<Job>) {
        for _ in 0..<gatherRounds where batch.count < maxBatch {
            usleep(gatherPauseMicroseconds)
            let more = queue.takeAvailable(max: maxBatch - batch.count)
            if more.isEmpty { return }
            batch.append(contentsOf: more)
        }
    }

    private static func commit(
        _ batch: [Job], on db: SQLiteConnection, current: inout Int64, committed: CommittedRevision, hub: WatchHub,
        latest: LatestValues
    ) {
        var next = current
        var results: [Result<Outcome, FlotillaError>] = []
        var events: [WatchEvent] = []
        results.reserveCapacity(batch.count)
        do {
            try SQLiteLog.beginWrite(db)
            for job in batch {
                results.append(try apply(job.operation, on: db, next: &next, events: &events))
            }
            db.resetStatements()
            // From the commit on, readers see the new values in the database; until they are
            // recorded below, reads of these keys must go there, not to the older values.
            latest.forget(events)
            try SQLiteLog.commit(db)
        } catch {
            db.resetStatements()
            SQLiteLog.rollback(db)
            let failure = error as? FlotillaError ?? FlotillaError(.internalError, "store write failed: \(error)")
            for job in batch { job.continuation.resume(throwing: failure) }
            return
        }
        current = next
        committed.value.store(next, ordering: .releasing)
        latest.record(events)
        hub.publish(events)
        for (job, result) in zip(batch, results) {
            job.continuation.resume(with: result.mapError { $0 as any Error })
        }
    }

    /// Applies one operation inside the open transaction. A failed precondition is returned as
    /// a failure (the transaction goes on); a database error is thrown (the batch fails).
    private static func apply(
        _ operation: Operation, on db: SQLiteConnection, next: inout Int64, events: inout [WatchEvent]
    ) throws -> Result<Outcome, FlotillaError> {
        switch operation {
        case .create(let key, let value):
            let latest = try SQLiteLog.latest(db, name: key)
            if let latest, !latest.deleted { return .failure(StoreErrors.alreadyExists(key)) }
            let id = next + 1
            try SQLiteLog.append(db, LogRow(
                id: id, name: key, createRevision: id, prevRevision: latest?.id ?? 0, deleted: false, value: value))
            next = id
            events.append(.put(kv: KeyValue(key: key, value: value, createRevision: id, modRevision: id), previous: nil))
            return .success(Outcome(revision: id, previous: nil))

        case .update(let key, let value, let expected):
            guard let latest = try SQLiteLog.latest(db, name: key), !latest.deleted else {
                return .failure(StoreErrors.notFound(key))
            }
            if let expected, expected != latest.id { return .failure(StoreErrors.conflict(key)) }
            let id = next + 1
            try SQLiteLog.append(db, LogRow(
                id: id, name: key, createRevision: latest.createRevision, prevRevision: latest.id, deleted: false,
                value: value))
            next = id
            let previous = KeyValue(key: key, value: latest.value, createRevision: latest.createRevision, modRevision: latest.id)
            let kv = KeyValue(key: key, value: value, createRevision: latest.createRevision, modRevision: id)
            events.append(.put(kv: kv, previous: previous))
            return .success(Outcome(revision: id, previous: previous))

        case .delete(let key, let expected):
            guard let latest = try SQLiteLog.latest(db, name: key), !latest.deleted else {
                return .failure(StoreErrors.notFound(key))
            }
            if let expected, expected != latest.id { return .failure(StoreErrors.conflict(key)) }
            let id = next + 1
            try SQLiteLog.append(db, LogRow(
                id: id, name: key, createRevision: latest.createRevision, prevRevision: latest.id, deleted: true,
                value: latest.value))
            next = id
            let previous = KeyValue(key: key, value: latest.value, createRevision: latest.createRevision, modRevision: latest.id)
            events.append(.delete(previous: previous, revision: id))
            return .success(Outcome(revision: id, previous: previous))

        case .compact(let target):
            if target > next { return .failure(StoreErrors.futureRevision(target, current: next)) }
            if target > (try SQLiteLog.compactRevision(db)) {
                try SQLiteLog.compact(db, revision: target)
            }
            return .success(Outcome(revision: next, previous: nil))
        }
    }
}

/// The last committed revision, written by the writer thread and read by anyone.
private final class CommittedRevision: Sendable {
    let value: Atomic<Int64>
    init(_ revision: Int64) { value = Atomic(revision) }
}
