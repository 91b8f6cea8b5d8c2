import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// The real API server over SQLite in a temporary folder, reached in-process.
final class InProcessCluster: Sendable {
    let directory: String
    let store: SQLiteStore
    let server: APIServer
    let client: KubernetesClient

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-client-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/state.db")
        server = APIServer(store: store)
        client = KubernetesClient(transport: InProcessTransport(handler: server, user: "system:kube-controller-manager"))
    }

    func close() async {
        server.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func lease(_ name: String, namespace: String = "default", labels: JSON = [:], holder: String = "a") -> JSON {
        [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels],
            "spec": ["holderIdentity": .string(holder), "leaseDurationSeconds": 15],
        ]
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct APIServerClientTests {
    @Test func verbsAgainstTheRealServer() async throws {
        let cluster = try InProcessCluster()
        defer { Task { await cluster.close() } }
        let client = cluster.client
        let created = try await client.create(.leases, InProcessCluster.lease("l1", labels: ["team": "x"]))
        let rv = try #require(created[path: ["metadata", "resourceVersion"]].string)
        #expect(created[path: ["metadata", "uid"]].string?.isEmpty == false)
        _ = try await client.create(.leases, InProcessCluster.lease("l2"))

        let fetched = try await client.get(.leases, namespace: "default", name: "l1")
        #expect(fetched["spec"]["holderIdentity"] == "a")
        let selected = try await client.list(.leases, namespace: "default", labelSelector: "team=x")
        #expect(selected.items.map { $0[path: ["metadata", "name"]] } == ["l1"])
        #expect(!selected.resourceVersion.isEmpty)

        let duplicate = await #expect(throws: FlotillaError.self) { try await client.create(.leases, InProcessCluster.lease("l1")) }
        #expect(duplicate?.code == .alreadyExists)

        var changed = fetched
        changed["spec"]["holderIdentity"] = "b"
        let updated = try await client.update(.leases, changed)
        #expect(updated["spec"]["holderIdentity"] == "b")
        // The same stale resourceVersion again is a conflict.
        let stale = await #expect(throws: FlotillaError.self) { try await client.update(.leases, changed) }
        #expect(stale?.code == .conflict)

        let patched = try await client.patch(
            .leases, namespace: "default", name: "l1", ["spec": ["holderIdentity": "c"]], type: .merge)
        #expect(patched["spec"]["holderIdentity"] == "c")
        #expect(patched[path: ["metadata", "resourceVersion"]].string != rv)

        let invalid = await #expect(throws: FlotillaError.self) {
            try await client.patch(.leases, namespace: "default", name: "l1", ["spec": ["leaseDurationSeconds": -1]], type: .merge)
        }
        #expect(invalid?.code == .invalid)
        #expect(invalid?.causes.first?.field == "spec.leaseDurationSeconds")

        struct LeaseView: Decodable {
            struct Spec: Decodable { var holderIdentity: String; var leaseDurationSeconds: Int }
            var spec: Spec
        }
        let view = try await client.get(LeaseView.self, .leases, namespace: "default", name: "l1")
        #expect(view.spec.holderIdentity == "c")
        #expect(view.spec.leaseDurationSeconds == 15)

        try await client.delete(.leases, namespace: "default", name: "l1")
        let gone = await #expect(throws: FlotillaError.self) { try await client.get(.leases, namespace: "default", name: "l1") }
        #expect(gone?.code == .notFound)
        let all = try await client.listAll(.leases, pageSize: 1)
        #expect(all.items.map { $0[path: ["metadata", "name"]] } == ["l2"])
    }

    @Test func watchStreamsChangesFromTheRealServer() async throws {
        let cluster = try InProcessCluster()
        defer { Task { await cluster.close() } }
        let client = cluster.client
        let start = try await client.list(.leases, namespace: "default")
        let events = try await client.watch(.leases, namespace: "default", resourceVersion: start.resourceVersion, timeoutSeconds: 10)
        let reader = Task {
            var seen: [String] = []
            for try await event in events where event.type != .bookmark {
                seen.append("\(event.type.rawValue) \(event.object[path: ["metadata", "name"]].string ?? "")")
                if seen.count == 3 { break }
            }
            return seen
        }
        _ = try await client.create(.leases, InProcessCluster.lease("w1"))
        _ = try await client.patch(.leases, namespace: "default", name: "w1", ["spec": ["holderIdentity": "z"]], type: .merge)
        try await client.delete(.leases, namespace: "default", name: "w1")
        #expect(try await reader.value == ["ADDED w1", "MODIFIED w1", "DELETED w1"])
    }

    @Test func watchFromACompactedVersionIsExpired() async throws {
        let cluster = try InProcessCluster()
        defer { Task { await cluster.close() } }
        let client = cluster.client
        let start = try await client.list(.leases, namespace: "default").resourceVersion
        for n in 0..<3 { _ = try await client.create(.leases, InProcessCluster.lease("c\(n)")) }
        try await cluster.store.compact(revision: try await cluster.store.currentRevision())
        let error = await #expect(throws: FlotillaError.self) {
            for try await _ in try await client.watch(.leases, namespace: "default", resourceVersion: start, timeoutSeconds: 5) {}
        }
        #expect(error?.code == .expired)
    }

    @Test func informerFollowsTheRealServerAndRelistsAfterCompaction() async throws {
        let cluster = try InProcessCluster()
        defer { Task { await cluster.close() } }
        let client = cluster.client
        for n in 0..<5 {
            _ = try await client.create(.leases, InProcessCluster.lease("l\(n)", labels: ["parity": n % 2 == 0 ? "even" : "odd"]))
        }
        let informer = Informer(
            client: KubernetesClient(transport: InProcessTransport(handler: cluster.server, user: "system:kube-scheduler")),
            resource: .leases, pageSize: 2, watchTimeoutSeconds: 30,
            backoff: Backoff(initial: .milliseconds(5), maximum: .milliseconds(100)))
        var running = Task { try await informer.run() }
        try await informer.waitForSync()
        #expect(informer.cache.count == 5)
        #expect(informer.cache.byLabel("parity", "even").count == 3)
        #expect(informer.cache.get(namespace: "default", name: "l0")?["kind"] == "Lease")

        let log = EventLog(informer.events(replayingCache: false))
        _ = try await client.create(.leases, InProcessCluster.lease("l5", labels: ["parity": "odd"]))
        _ = try await client.patch(.leases, namespace: "default", name: "l0", ["metadata": ["labels": ["parity": "odd"]]], type: .merge)
        try await client.delete(.leases, namespace: "default", name: "l1")
        try await log.waitFor(count: 3)
        #expect(log.all.count == 3)
        #expect(log.all[0] == "+l5")
        #expect(log.all[1].hasPrefix("~l0@"))
        #expect(log.all[2] == "-l1")
        #expect(informer.cache.byLabel("parity", "even").map(ObjectCache.key(for:)).sorted() == ["default/l2", "default/l4"])

        // Stop the informer, change things behind its back and compact the history it would
        // watch from: running again, its watch gets a 410 and it lists again.
        running.cancel()
        try await running.value
        try await log.waitFor(count: 4)
        try await client.delete(.leases, namespace: "default", name: "l2")
        _ = try await client.patch(.leases, namespace: "default", name: "l3", ["spec": ["holderIdentity": "moved"]], type: .merge)
        _ = try await client.create(.leases, InProcessCluster.lease("l6"))
        try await cluster.store.compact(revision: try await cluster.store.currentRevision())
        let log3 = EventLog(informer.events(replayingCache: false))
        running = Task { try await informer.run() }
        defer { running.cancel() }
        try await log3.waitFor(count: 3)
        #expect(log3.all.sorted().map { $0.prefix(3) } == ["+l6", "-l2", "~l3"])
        #expect(informer.cache.get(namespace: "default", name: "l3")?["spec"]["holderIdentity"] == "moved")
        #expect(Set(informer.cache.keys) == ["default/l0", "default/l3", "default/l4", "default/l5", "default/l6"])

        // And it keeps watching after the relist.
        _ = try await client.create(.leases, InProcessCluster.lease("l7"))
        try await log3.waitFor(count: 4)
        #expect(log3.all.last == "+l7")
    }
}
