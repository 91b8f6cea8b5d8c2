import FlotillaCore
@testable import FlotillaStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Behaviour specific to the etcd store, against a real etcd.
@Suite(.etcdServer)
struct EtcdStoreTests {
    @Test
    func anUnreachableEndpointIsSkipped() async throws {
        let server = try #require(EtcdTestServer.current)
        // Nothing listens on port 1 of loopback; the second endpoint answers.
        try await withEtcdStore(endpoints: ["http://127.0.0.1:1", server.endpoint]) { store in
            let stream = try await store.watch(prefix: "/failover/", afterRevision: 0)
            let created = try await store.create("/failover/a", value: .text("v"))
            #expect(try await store.get("/failover/a")?.modRevision == created)
            #expect(try await collect(stream, count: 1).map(\.revision) == [created])
        }
    }

    @Test
    func repliesLargerThanTheirWindowsArrive() async throws {
        // 8 MiB per listing, 80 MiB in all: past HTTP/2's initial stream and connection windows,
        // and past the connection window the client opens, so it must give it back as it reads.
        let server = try #require(EtcdTestServer.current)
        try await withEtcdStore(endpoints: [server.endpoint]) { store in
            let watch = try await store.watch(prefix: "/large/", afterRevision: 0)
            let value = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
            for index in 0..<8 { _ = try await store.create("/large/\(index)", value: value) }
            // The watch's 8 MiB share the connection with the listings below.
            let watched = Task { try await collect(watch, count: 8) }
            for _ in 0..<10 {
                let listed = try await store.list(prefix: "/large/", after: nil, limit: 0, revision: nil)
                #expect(listed.items.count == 8)
                #expect(listed.items.allSatisfy { $0.value == value })
            }
            #expect(try await watched.value.count == 8)
        }
    }

    @Test
    func aWatchBehindACompactionExpires() async throws {
        // The store's own watch() refuses a compacted revision before it asks etcd; here etcd's
        // watch itself must say so. A server of its own, since compaction would upset other tests.
        let server = try await EtcdTestServer.start()
        let client = EtcdClient(endpoints: try EtcdEndpoint.parse([server.endpoint]))
        do {
            let store = try await EtcdStore(endpoints: [server.endpoint])
            let old = try await store.create("/behind/a", value: [])
            _ = try await store.create("/behind/b", value: [])
            let kept = try await store.create("/behind/c", value: [])
            try await store.compact(revision: kept)
            try await store.close()

            let (events, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
            await EtcdWatch(client: client, range: KeyRange(prefix: "/behind/"), after: old, continuation: continuation).run()
            do {
                for try await _ in events {}
                Issue.record("the watch ended without an error")
            } catch let error as FlotillaError {
                #expect(error.code == .expired)
            }
        } catch {
            client.close()
            await server.stop()
            throw error
        }
        client.close()
        await server.stop()
    }

    @Test
    func aWatchNoLongerReadEndsInEtcd() async throws {
        // A server of its own, so that other tests' watches do not count.
        let server = try await EtcdTestServer.start()
        do {
            try await withEtcdStore(endpoints: [server.endpoint]) { store in
                let readers = (0..<3).map { index in
                    Task {
                        let stream = try await store.watch(prefix: "/unread/\(index)/", afterRevision: 0)
                        for try await _ in stream {}
                    }
                }
                try await waitForWatchers(at: server, count: 3)
                for reader in readers { reader.cancel() }
                try await waitForWatchers(at: server, count: 0)
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// etcd's count of open watchers, from its metrics.
    private func watchers(at server: EtcdTestServer) async throws -> Int {
        let (body, _) = try await URLSession.shared.data(from: try #require(URL(string: server.endpoint + "/metrics")))
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("etcd_debugging_mvcc_watcher_total ") }
        return try #require(line.flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) })
    }

    private func waitForWatchers(at server: EtcdTestServer, count: Int) async throws {
        var seen = -1
        for _ in 0..<100 {
            seen = try await watchers(at: server)
            if seen == count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("etcd has \(seen) watchers, not \(count)")
    }

    @Test
    func closingEndsOpenWatches() async throws {
        let server = try #require(EtcdTestServer.current)
        let store = try await EtcdStore(endpoints: [server.endpoint])
        let stream = try await store.watch(prefix: "/closing/", afterRevision: 0)
        let reader = Task {
            var count = 0
            for try await _ in stream { count += 1 }
            return count
        }
        _ = try await store.create("/closing/a", value: [])
        try await Task.sleep(for: .milliseconds(300))
        try await store.close()
        #expect(try await reader.value == 1)
    }

    @Test
    func aStoppedEndpointIsFailedOver() async throws {
        // Two single-member clusters stand for two members of one: the store must move to the
        // second when the first goes away, for reads and writes alike.
        let first = try await EtcdTestServer.start()
        let second = try await EtcdTestServer.start()
        do {
            try await withEtcdStore(endpoints: [first.endpoint, second.endpoint]) { store in
                let before = try await store.create("/stopped/a", value: .text("v"))
                #expect(try await store.get("/stopped/a")?.modRevision == before)
                await first.stop()
                #expect(try await store.get("/stopped/a") == nil)
                let after = try await store.create("/stopped/a", value: .text("w"))
                #expect(try await store.get("/stopped/a")?.value == .text("w"))
                #expect(try await store.currentRevision() == after)
            }
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
    }

    @Test
    func aClusterThatGoesAwayIsUnavailable() async throws {
        let server = try await EtcdTestServer.start()
        try await withEtcdStore(endpoints: [server.endpoint]) { store in
            _ = try await store.create("/gone/a", value: [])
            await server.stop()
            await expectStoreError(.serviceUnavailable) { try await store.get("/gone/a") }
            await expectStoreError(.serviceUnavailable) { try await store.create("/gone/b", value: []) }
            await expectStoreError(.serviceUnavailable) { try await store.list(prefix: "/gone/", after: nil, limit: 0, revision: nil) }
        }
    }

    private func withEtcdStore(endpoints: [String], _ body: (EtcdStore) async throws -> Void) async throws {
        let store = try await EtcdStore(endpoints: endpoints)
        do {
            try await body(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
