import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// Behaviour specific to the embedded SQLite store: durability, slow watchers, long replays.
@Suite
struct SQLiteStoreTests {
    @Test
    func everythingSurvivesCloseAndReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("store.db")

        let store = try SQLiteStore(path: path)
        let a = try await store.create("/a", value: .text("1"))
        let a2 = try await store.update("/a", value: .text("2"), expectedRevision: a)
        let b = try await store.create("/b", value: .text("b"))
        _ = try await store.delete("/b", expectedRevision: b)
        let c = try await store.create("/c", value: .text("c"))
        try await store.compact(revision: c)
        let last = try await store.currentRevision()
        try await store.close()

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.currentRevision() == last)
        #expect(try await reopened.compactedRevision() == c)
        #expect(try await reopened.get("/a") == KeyValue(key: "/a", value: .text("2"), createRevision: a, modRevision: a2))
        #expect(try await reopened.get("/b") == nil)
        #expect(try await reopened.list(prefix: "/", after: nil, limit: 0, revision: nil).items.map(\.key) == ["/a", "/c"])
        // Revisions go on from where they were.
        let next = try await reopened.create("/d", value: [])
        #expect(next == last + 1)
        try await reopened.close()
    }

    /// Reads of keys just written come from the writer's latest values; whatever the budget
    /// for them (here one that overflows every few writes), a read returns the latest
    /// acknowledged write, and a deleted key is gone.
    @Test(arguments: [32 << 20, 40])
    func readsAfterWritesSeeTheLatestValue(budget: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.db"), latestValuesBudget: budget)
        var revisions: [String: (create: Int64, mod: Int64)] = [:]
        for round in 0..<5 {
            for key in ["/a", "/b", "/c"] {
                let value = Array("\(key)-\(round)".utf8)
                if let known = revisions[key] {
                    let mod = try await store.update(key, value: value, expectedRevision: known.mod)
                    revisions[key] = (known.create, mod)
                } else {
                    let created = try await store.create(key, value: value)
                    revisions[key] = (created, created)
                }
                let read = try await store.get(key)
                #expect(read == KeyValue(key: key, value: value, createRevision: revisions[key]!.create, modRevision: revisions[key]!.mod))
            }
        }
        _ = try await store.delete("/b", expectedRevision: revisions["/b"]!.mod)
        #expect(try await store.get("/b") == nil)
        let again = try await store.create("/b", value: .text("new"))
        #expect(try await store.get("/b") == KeyValue(key: "/b", value: .text("new"), createRevision: again, modRevision: again))
        // A failed compare-and-swap changes nothing that a read returns.
        await #expect(throws: FlotillaError.self) { try await store.update("/a", value: .text("stale"), expectedRevision: 1) }
        #expect(try await store.get("/a")?.value == Array("/a-4".utf8))
        try await store.close()
    }

    /// A reader connection must not keep the snapshot of its first read: every read, on the
    /// same connection, sees every write acknowledged before it started.
    @Test
    func readsOnOneConnectionSeeEveryAcknowledgedWrite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.db"), readerThreads: 1)
        var revision = try await store.create("/k", value: .text("0"))
        for step in 1...20 {
            #expect(try await store.get("/k")?.modRevision == revision)
            #expect(try await store.currentRevision() == revision)
            #expect(try await store.compactedRevision() == 0)
            revision = try await store.update("/k", value: .text("\(step)"), expectedRevision: revision)
            #expect(try await store.get("/k")?.value == .text("\(step)"))
            #expect(try await store.list(prefix: "/", after: nil, limit: 1, revision: nil).revision == revision)
        }
        try await store.close()
    }

    @Test
    func acknowledgedConcurrentWritesAreAllThereAfterReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("store.db")
        let store = try SQLiteStore(path: path)
        let acknowledged = try await withThrowingTaskGroup(of: [String: Int64].self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var done: [String: Int64] = [:]
                    for index in 0..<50 {
                        let key = "/burst/\(writer)/\(index)"
                        done[key] = try await store.create(key, value: .text(key))
                    }
                    return done
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { a, _ in a } }
        }
        try await store.close()

        let reopened = try SQLiteStore(path: path)
        let listed = try await reopened.list(prefix: "/burst/", after: nil, limit: 0, revision: nil)
        #expect(listed.items.count == acknowledged.count)
        for kv in listed.items { #expect(acknowledged[kv.key] == kv.modRevision && kv.value == .text(kv.key)) }
        #expect(Set(acknowledged.values).count == 800)
        try await reopened.close()
    }

    @Test
    func aWatcherThatNeverReadsIsDroppedWithoutBlockingWriters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.db"), watchBufferCapacity: 16)
        let stalled = try await store.watch(prefix: "/", afterRevision: 0)
        let healthy = try await store.watch(prefix: "/", afterRevision: 0)
        let reader = Task { try await collect(healthy, count: 200) }
        // Two hundred writes finish although one watcher reads nothing.
        for index in 0..<200 { _ = try await store.create("/k\(index)", value: []) }
        #expect(try await reader.value.count == 200)
        #expect(store.watcherCount == 1)

        var delivered = 0
        await expectStoreError(.expired) {
            for try await _ in stalled { delivered += 1 }
        }
        #expect(delivered == 0)
        try await store.close()
    }

    @Test
    func aLongReplayIsDeliveredCompletelyInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.db"), watchBufferCapacity: 64)
        // (A watch after revision 0 would start from now, so history begins at a real revision.)
        let start = try await store.create("/before", value: [])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<500 { _ = try await store.create("/r/\(writer)/\(index)", value: .text("v")) }
                }
            }
            try await group.waitForAll()
        }
        // 2,000 events replayed (far more than the live buffer) while writers go on.
        let stream = try await store.watch(prefix: "/r/", afterRevision: start)
        let more = Task {
            for index in 0..<300 { _ = try await store.create("/r/late/\(index)", value: []) }
        }
        let events = try await collect(stream, count: 2_300, timeout: .seconds(60))
        try await more.value
        let revisions = events.map(\.revision)
        #expect(revisions == Array(start + 1...start + 2_300))
        #expect(await staysQuiet(stream))
        try await store.close()
    }

    @Test
    func closingEndsWatchesAndRefusesWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.db"))
        let stream = try await store.watch(prefix: "/", afterRevision: 0)
        let ended = Task {
            var count = 0
            for try await _ in stream { count += 1 }
            return count
        }
        _ = try await store.create("/x", value: [])
        try await store.close()
        #expect(try await ended.value == 1)
        await expectStoreError(.serviceUnavailable) { try await store.create("/y", value: []) }
        await expectStoreError(.serviceUnavailable) { try await store.get("/x") }
    }

    @Test
    func anUnusableDatabasePathIsAClearError() async throws {
        #expect(throws: FlotillaError.self) { try SQLiteStore(path: "/nonexistent-dir/for/sure/store.db") }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let garbage = directory.path("garbage.db")
        _ = FileManager.default.createFile(atPath: garbage, contents: Data(repeating: 0x42, count: 8192))
        #expect(throws: FlotillaError.self) { try SQLiteStore(path: garbage) }
    }
}
