@testable import FlotillaAPIServer
import FlotillaCore
import FlotillaStore
import Logging
import Testing

/// A store whose watches never deliver: the cache's view stays what it listed, as when its
/// watch lags behind the writes.
private struct LaggingWatchStore: Store {
    let base: MemoryStore

    func currentRevision() async throws -> Int64 { try await base.currentRevision() }
    func get(_ key: String) async throws -> KeyValue? { try await base.get(key) }
    func list(prefix: String, after: String?, limit: Int, revision: Int64?) async throws -> ListResult {
        try await base.list(prefix: prefix, after: after, limit: limit, revision: revision)
    }
    func create(_ key: String, value: [UInt8]) async throws -> Int64 { try await base.create(key, value: value) }
    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64 {
        try await base.update(key, value: value, expectedRevision: expectedRevision)
    }
    func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64) {
        try await base.delete(key, expectedRevision: expectedRevision)
    }
    func watch(prefix: String, afterRevision revision: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        AsyncThrowingStream { _ in }
    }
    func compact(revision: Int64) async throws {}
    func compactedRevision() async throws -> Int64 { 0 }
    func close() async throws {}
}

@Suite struct NamespaceCacheTests {
    static let key = NamespaceCache.prefix + "team"
    static let active = Array(#"{"metadata":{"name":"team"},"status":{"phase":"Active"}}"#.utf8)
    static let terminating = Array(#"{"metadata":{"name":"team","deletionTimestamp":"2026-01-01T00:00:00Z"},"status":{"phase":"Terminating"}}"#.utf8)

    /// Starts a cache over `store` and waits until it has listed.
    private func following(_ store: any Store, _ body: (NamespaceCache) async throws -> Void) async throws {
        let cache = NamespaceCache(store: store, logger: Logger(label: "test"))
        let task = Task { await cache.follow() }
        defer { task.cancel() }
        for _ in 0..<500 where !cache.isLive { try await Task.sleep(for: .milliseconds(10)) }
        try #require(cache.isLive)
        try await body(cache)
    }

    @Test func aDeletionThisServerWroteIsKnownBeforeItsEvent() async throws {
        let store = LaggingWatchStore(base: MemoryStore())
        let created = try await store.create(Self.key, value: Self.active)
        try await following(store) { cache in
            #expect(try await cache.phase(of: "team") == .active)
            let marked = try await store.update(Self.key, value: Self.terminating, expectedRevision: created)
            cache.wrote(Self.key, value: Self.terminating, revision: marked)
            #expect(try await cache.phase(of: "team") == .terminating)
            #expect(cache.terminating == ["team"])

            let (_, removed) = try await store.delete(Self.key, expectedRevision: marked)
            cache.wrote(Self.key, value: nil, revision: removed)
            #expect(try await cache.phase(of: "team") == nil)
            #expect(cache.terminating.isEmpty)
        }
    }

    @Test func anOlderEventDoesNotUndoANewerWrite() async throws {
        let store = MemoryStore()
        try await following(store) { cache in
            // The write is recorded before the store takes the creation, at a later revision
            // than the creation's: its event, which says Active, arrives after the write and
            // must not replace it.
            let later = try await store.currentRevision() + 100
            cache.wrote(Self.key, value: Self.terminating, revision: later)
            _ = try await store.create(Self.key, value: Self.active)
            // A later event, seen in `terminating`: once it is there, the earlier one was applied.
            let other = NamespaceCache.prefix + "other"
            _ = try await store.create(other, value: Array(#"{"metadata":{"name":"other","deletionTimestamp":"2026-01-01T00:00:00Z"}}"#.utf8))
            for _ in 0..<500 where !cache.terminating.contains("other") { try await Task.sleep(for: .milliseconds(10)) }
            #expect(cache.terminating == ["other", "team"])
            #expect(try await cache.phase(of: "team") == .terminating)
        }
    }

    @Test func writesOutsideTheNamespacesAreIgnored() async throws {
        let store = MemoryStore()
        try await following(store) { cache in
            cache.wrote("/registry/core/configmaps/default/team", value: Self.terminating, revision: 5)
            #expect(cache.terminating.isEmpty)
        }
    }
}
