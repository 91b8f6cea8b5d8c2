import FlotillaCore
import FlotillaStore
import Foundation

/// A small in-memory ``Store`` for the REST tests: full history, prefix lists at a revision,
/// watches with replay, compaction.
actor MemoryStore: Store {
    private struct Entry {
        var revision: Int64
        var key: String
        /// nil for a deletion.
        var value: [UInt8]?
        var createRevision: Int64
    }

    private var log: [Entry] = []
    private var latest: [String: Int] = [:]
    private var revision: Int64 = 0
    private var compacted: Int64 = 0
    private var watchers: [UUID: (prefix: String, continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation)] = [:]

    func currentRevision() async throws -> Int64 { revision }

    func get(_ key: String) async throws -> KeyValue? {
        guard let i = latest[key], let value = log[i].value else { return nil }
        return KeyValue(key: key, value: value, createRevision: log[i].createRevision, modRevision: log[i].revision)
    }

    func list(prefix: String, after: String?, limit: Int, revision at: Int64?) async throws -> ListResult {
        let target = at ?? revision
        if target < compacted { throw FlotillaError.expired() }
        var state: [String: Entry] = [:]
        for e in log where e.revision <= target && e.key.hasPrefix(prefix) { state[e.key] = e }
        let keys = state.keys.filter { state[$0]?.value != nil && (after == nil || $0 > after!) }.sorted()
        let page = limit > 0 ? Array(keys.prefix(limit)) : keys
        let items = page.map { k in
            let e = state[k]!
            return KeyValue(key: k, value: e.value!, createRevision: e.createRevision, modRevision: e.revision)
        }
        let more = page.count < keys.count
        return ListResult(items: items, revision: target, more: more, remaining: more ? Int64(keys.count - page.count) : 0)
    }

    func create(_ key: String, value: [UInt8]) async throws -> Int64 {
        if try await get(key) != nil { throw FlotillaError(.alreadyExists, "\(key) exists") }
        return append(key, value, previous: nil)
    }

    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64 {
        guard let current = try await get(key) else { throw FlotillaError(.notFound, "\(key) not found") }
        if let expectedRevision, expectedRevision != current.modRevision { throw FlotillaError(.conflict, "\(key) changed") }
        return append(key, value, previous: current)
    }

    func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64) {
        guard let current = try await get(key) else { throw FlotillaError(.notFound, "\(key) not found") }
        if let expectedRevision, expectedRevision != current.modRevision { throw FlotillaError(.conflict, "\(key) changed") }
        return (current, append(key, nil, previous: current))
    }

    private func append(_ key: String, _ value: [UInt8]?, previous: KeyValue?) -> Int64 {
        revision += 1
        let entry = Entry(revision: revision, key: key, value: value, createRevision: previous?.createRevision ?? revision)
        log.append(entry)
        latest[key] = log.count - 1
        let event: WatchEvent
        if let value {
            event = .put(kv: KeyValue(key: key, value: value, createRevision: entry.createRevision, modRevision: revision), previous: previous)
        } else {
            event = .delete(previous: previous!, revision: revision)
        }
        for (_, w) in watchers where key.hasPrefix(w.prefix) { w.continuation.yield(event) }
        return revision
    }

    func watch(prefix: String, afterRevision start: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        if start > 0, start < compacted { throw FlotillaError.expired() }
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        if start > 0 {
            var before: [String: KeyValue] = [:]
            for e in log where e.key.hasPrefix(prefix) {
                let previous = before[e.key]
                if e.revision > start {
                    if let value = e.value {
                        continuation.yield(.put(
                            kv: KeyValue(key: e.key, value: value, createRevision: e.createRevision, modRevision: e.revision),
                            previous: previous))
                    } else if let previous {
                        continuation.yield(.delete(previous: previous, revision: e.revision))
                    }
                }
                before[e.key] = e.value.map { KeyValue(key: e.key, value: $0, createRevision: e.createRevision, modRevision: e.revision) }
            }
        }
        let id = UUID()
        watchers[id] = (prefix, continuation)
        continuation.onTermination = { _ in Task { await self.removeWatcher(id) } }
        return stream
    }

    private func removeWatcher(_ id: UUID) { watchers.removeValue(forKey: id) }

    func compact(revision target: Int64) async throws {
        compacted = max(compacted, target)
    }

    func compactedRevision() async throws -> Int64 { compacted }

    func close() async throws {
        for (_, w) in watchers { w.continuation.finish() }
        watchers.removeAll()
    }
}
