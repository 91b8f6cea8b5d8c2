import FlotillaCore
import FlotillaStore
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
