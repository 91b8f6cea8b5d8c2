import FlotillaCore
import FlotillaStore
import Testing

/// The behaviour every ``Store`` backend must share, run against SQLite and a real etcd.
@Suite(.etcdServer, .serialized)
struct StoreContractTests {
    private static let backends = StoreBackend.allCases

    @Test(arguments: backends)
    func createGetUpdateDelete(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store, key = opened.key("a")

            #expect(try await store.get(key) == nil)
            let created = try await store.create(key, value: .text("one"))
            #expect(try await store.currentRevision() >= created)
            let kv = try #require(try await store.get(key))
            #expect(kv == KeyValue(key: key, value: .text("one"), createRevision: created, modRevision: created))

            let updated = try await store.update(key, value: .text("two"), expectedRevision: created)
            #expect(updated > created)
            #expect(try await store.get(key) == KeyValue(key: key, value: .text("two"), createRevision: created, modRevision: updated))

            let unconditional = try await store.update(key, value: .text("three"), expectedRevision: nil)
            #expect(unconditional > updated)

            let (previous, deletedAt) = try await store.delete(key, expectedRevision: unconditional)
            #expect(previous == KeyValue(key: key, value: .text("three"), createRevision: created, modRevision: unconditional))
            #expect(deletedAt > unconditional)
            #expect(try await store.get(key) == nil)

            let recreated = try await store.create(key, value: [])
            let fresh = try #require(try await store.get(key))
            #expect(fresh.createRevision == recreated && fresh.value.isEmpty)
        }
    }

    @Test(arguments: backends)
    func preconditionErrors(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store, key = opened.key("p"), missing = opened.key("missing")
            let created = try await store.create(key, value: .text("v"))
            let updated = try await store.update(key, value: .text("w"), expectedRevision: created)

            await expectStoreError(.alreadyExists) { try await store.create(key, value: .text("x")) }
            await expectStoreError(.conflict) { try await store.update(key, value: .text("x"), expectedRevision: created) }
            await expectStoreError(.conflict) { try await store.delete(key, expectedRevision: created) }
            await expectStoreError(.notFound) { try await store.update(missing, value: .text("x"), expectedRevision: nil) }
            await expectStoreError(.notFound) { try await store.update(missing, value: .text("x"), expectedRevision: 5) }
            await expectStoreError(.notFound) { try await store.delete(missing, expectedRevision: nil) }
            // Failed writes change nothing.
            #expect(try await store.get(key)?.modRevision == updated)
            #expect(try await store.get(key)?.value == .text("w"))

            _ = try await store.delete(key, expectedRevision: nil)
            await expectStoreError(.notFound) { try await store.delete(key, expectedRevision: nil) }
            await expectStoreError(.notFound) { try await store.update(key, value: .text("x"), expectedRevision: updated) }

            let current = try await store.currentRevision()
            await expectStoreError(.timeout) {
                try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: current + 1000)
            }
        }
    }

    @Test(arguments: backends)
    func valuesAndKeysRoundTripExactly(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            let binary: [UInt8] = Array(0...255) + [0, 0, 255]
            let keys = [opened.key("bin"), opened.key("ünïcödé/ключ"), opened.key("with space")]
            for key in keys { _ = try await store.create(key, value: binary) }
            for key in keys { #expect(try await store.get(key)?.value == binary) }
            let listed = try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: nil)
            #expect(listed.items.map(\.key) == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        }
    }

    @Test(arguments: backends)
    func concurrentCompareAndSwapHasExactlyOneWinner(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store, key = opened.key("cas")
            let base = try await store.create(key, value: .text("0"))
            let outcomes = await withTaskGroup(of: Result<Int64, FlotillaError>.self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        do {
                            return .success(try await store.update(key, value: .text("\(writer)"), expectedRevision: base))
                        } catch {
                            return .failure(error as? FlotillaError ?? FlotillaError(.internalError, "\(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.compactMap { outcome -> FlotillaError? in
                if case .failure(let error) = outcome { return error }
                return nil
            }
            #expect(winners.count == 1)
            #expect(losers.count == 19)
            #expect(losers.allSatisfy { $0.code == .conflict })
            #expect(try await store.get(key)?.modRevision == winners.first)
        }
    }

    @Test(arguments: backends)
    func concurrentCreateHasExactlyOneWinner(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store, key = opened.key("race")
            let codes = await withTaskGroup(of: FlotillaError.Code?.self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await store.create(key, value: .text("\(writer)"))
                            return nil
                        } catch {
                            return (error as? FlotillaError)?.code ?? .internalError
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(codes.filter { $0 == nil }.count == 1)
            #expect(codes.compactMap { $0 } == Array(repeating: .alreadyExists, count: 19))
        }
    }

    @Test(arguments: backends)
    func listPagesAtOneRevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            let names = (0..<10).map { "k\($0)" }
            for name in names { _ = try await store.create(opened.key(name), value: .text("v1")) }

            let first = try await store.list(prefix: opened.prefix, after: nil, limit: 4, revision: nil)
            #expect(first.items.map(\.key) == names.prefix(4).map(opened.key))
            #expect(first.more)
            #expect(first.remaining == 6)

            // Writes after the first page do not show on later pages read at its revision.
            _ = try await store.create(opened.key("k4a"), value: .text("new"))
            _ = try await store.update(opened.key("k5"), value: .text("v2"), expectedRevision: nil)
            _ = try await store.delete(opened.key("k6"), expectedRevision: nil)

            let second = try await store.list(prefix: opened.prefix, after: first.items.last?.key, limit: 4, revision: first.revision)
            #expect(second.revision == first.revision)
            #expect(second.items.map(\.key) == names[4..<8].map(opened.key))
            #expect(second.items.allSatisfy { $0.value == .text("v1") })
            #expect(second.more)
            #expect(second.remaining == 2)

            let third = try await store.list(prefix: opened.prefix, after: second.items.last?.key, limit: 4, revision: first.revision)
            #expect(third.items.map(\.key) == names[8...].map(opened.key))
            #expect(!third.more)

            // The current view has the later writes.
            let now = try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: nil)
            #expect(now.items.map(\.key) == ["k0", "k1", "k2", "k3", "k4", "k4a", "k5", "k7", "k8", "k9"].map(opened.key))
            #expect(now.items.first { $0.key == opened.key("k5") }?.value == .text("v2"))
            #expect(!now.more)
            #expect(now.revision == (try await store.currentRevision()))
        }
    }

    @Test(arguments: backends)
    func prefixesAreLiteral(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            for name in ["r/pods/a", "r/pods/a/x", "r/pods/a/y", "r/pods/ab/z", "r/pods/a0"] {
                _ = try await store.create(opened.key(name), value: .text(name))
            }
            let stream = try await store.watch(prefix: opened.key("r/pods/a/"), afterRevision: 0)
            let listed = try await store.list(prefix: opened.key("r/pods/a/"), after: nil, limit: 0, revision: nil)
            #expect(listed.items.map(\.key) == [opened.key("r/pods/a/x"), opened.key("r/pods/a/y")])
            let paged = try await store.list(prefix: opened.key("r/pods/a/"), after: opened.key("r/pods/a/x"), limit: 1, revision: nil)
            #expect(paged.items.map(\.key) == [opened.key("r/pods/a/y")])
            #expect(!paged.more)

            _ = try await store.update(opened.key("r/pods/ab/z"), value: .text("changed"), expectedRevision: nil)
            _ = try await store.update(opened.key("r/pods/a"), value: .text("changed"), expectedRevision: nil)
            _ = try await store.update(opened.key("r/pods/a/x"), value: .text("changed"), expectedRevision: nil)
            let events = try await collect(stream, count: 1)
            #expect(events.map(\.key) == [opened.key("r/pods/a/x")])
            #expect(await staysQuiet(stream))
        }
    }

    @Test(arguments: backends)
    func watchSeesConcurrentWritesInRevisionOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            let stream = try await store.watch(prefix: opened.prefix, afterRevision: 0)
            let writers = 8, perWriter = 25
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            let key = opened.key("w\(writer)/\(index)")
                            let revision = try await store.create(key, value: .text("x"))
                            _ = try await store.update(key, value: .text("y"), expectedRevision: revision)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await collect(stream, count: writers * perWriter * 2)
            let revisions = events.map(\.revision)
            #expect(zip(revisions, revisions.dropFirst()).allSatisfy { $0 < $1 })
            #expect(Set(events.map(\.key)).count == writers * perWriter)
            for event in events {
                guard case .put(let kv, let previous) = event else {
                    Issue.record("unexpected \(event)")
                    continue
                }
                if kv.value == .text("x") {
                    #expect(previous == nil && kv.createRevision == kv.modRevision)
                } else {
                    #expect(previous?.value == .text("x") && previous?.modRevision == kv.createRevision)
                }
            }
            #expect(await staysQuiet(stream))
        }
    }

    @Test(arguments: backends)
    func watchResumesFromARevision(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            var revisions: [Int64] = []
            for index in 0..<5 { revisions.append(try await store.create(opened.key("e\(index)"), value: .text("\(index)"))) }

            let stream = try await store.watch(prefix: opened.prefix, afterRevision: revisions[1])
            let replayed = try await collect(stream, count: 3)
            #expect(replayed.map(\.revision) == Array(revisions[2...]))
            #expect(replayed.map(\.key) == (2..<5).map { opened.key("e\($0)") })

            // Then it goes on live.
            let later = try await store.update(opened.key("e0"), value: .text("again"), expectedRevision: revisions[0])
            let live = try await collect(stream, count: 1)
            #expect(live.map(\.revision) == [later])
            #expect(await staysQuiet(stream))
        }
    }

    @Test(arguments: backends)
    func watchedDeletesCarryThePreviousValue(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store, key = opened.key("d")
            let created = try await store.create(key, value: .text("first"))
            let updated = try await store.update(key, value: .text("last"), expectedRevision: created)
            let live = try await store.watch(prefix: opened.prefix, afterRevision: 0)
            let (_, deletedAt) = try await store.delete(key, expectedRevision: updated)
            let expected = WatchEvent.delete(
                previous: KeyValue(key: key, value: .text("last"), createRevision: created, modRevision: updated), revision: deletedAt)
            #expect(try await collect(live, count: 1) == [expected])

            // Replayed from history, it is the same event.
            let replay = try await store.watch(prefix: opened.prefix, afterRevision: updated)
            #expect(try await collect(replay, count: 1) == [expected])
        }
    }

    @Test(arguments: backends)
    func compactionExpiresOldRevisions(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            let old = try await store.create(opened.key("c1"), value: .text("1"))
            _ = try await store.update(opened.key("c1"), value: .text("2"), expectedRevision: old)
            let gone = try await store.create(opened.key("c2"), value: .text("x"))
            _ = try await store.delete(opened.key("c2"), expectedRevision: gone)
            let kept = try await store.create(opened.key("c3"), value: .text("3"))
            _ = try await store.create(opened.key("c4"), value: .text("4"))

            try await store.compact(revision: kept)
            #expect(try await store.compactedRevision() == kept)
            // Compacting to an older revision again is harmless.
            try await store.compact(revision: old)
            #expect(try await store.compactedRevision() == kept)

            await expectStoreError(.expired) { try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: old) }
            await expectWatchExpired(store, prefix: opened.prefix, after: old)

            // Reads at or after the compacted revision are unchanged.
            let atKept = try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: kept)
            #expect(atKept.items.map(\.key) == ["c1", "c3"].map(opened.key))
            #expect(atKept.items.first?.value == .text("2"))
            let resumed = try await store.watch(prefix: opened.prefix, afterRevision: kept)
            #expect(try await collect(resumed, count: 1).map(\.key) == [opened.key("c4")])

            let current = try await store.currentRevision()
            await expectStoreError(.timeout) { try await store.compact(revision: current + 100) }
        }
    }

    @Test(arguments: backends)
    func compactionKeepingTheNewestRevisions(_ backend: StoreBackend) async throws {
        try await backend.withStore { opened in
            let store = opened.store
            for index in 0..<6 { _ = try await store.create(opened.key("k\(index)"), value: .text("v")) }
            let current = try await store.currentRevision()
            let compacted = try await store.compact(keepingLast: 2)
            #expect(compacted == current - 2)
            #expect(try await store.compactedRevision() == current - 2)
            #expect(try await store.compact(keepingLast: 2) == nil)
            #expect(try await store.list(prefix: opened.prefix, after: nil, limit: 0, revision: nil).items.count == 6)
        }
    }
}
