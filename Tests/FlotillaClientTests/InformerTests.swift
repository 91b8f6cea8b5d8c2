import FlotillaCore
import Testing

@testable import FlotillaClient

/// Collects an informer's events as short strings: `+name`, `~name@rv`, `-name`.
final class EventLog: Sendable {
    let entries = LockedBox<[String]>([])
    private let reader: Task<Void, Never>

    init(_ stream: AsyncStream<InformerEvent>) {
        let entries = self.entries
        reader = Task {
            for await event in stream { entries.with { $0.append(EventLog.describe(event)) } }
            entries.with { $0.append("end") }
        }
    }

    static func describe(_ event: InformerEvent) -> String {
        let name = event.object[path: ["metadata", "name"]].string ?? "?"
        switch event {
        case .added: return "+" + name
        case .updated(let old, let new):
            let rv = { (o: JSON) in o[path: ["metadata", "resourceVersion"]].string ?? "" }
            return "~\(name)@\(rv(old))>\(rv(new))"
        case .deleted: return "-" + name
        }
    }

    var all: [String] { entries.with { $0 } }

    func waitFor(count: Int) async throws {
        try await waitUntil { all.count >= count }
    }
}

@Suite(.timeLimit(.minutes(1))) struct InformerTests {
    func makeInformer(_ server: FakeAPIServer, pageSize: Int = 500) -> Informer {
        Informer(
            client: KubernetesClient(transport: InProcessTransport(handler: server, user: "system:test")),
            resource: .configMaps, pageSize: pageSize, watchTimeoutSeconds: 60,
            backoff: Backoff(initial: .milliseconds(5), maximum: .milliseconds(50)))
    }

    @Test func initialSyncListsInPagesAndCallsAddHandlers() async throws {
        let server = FakeAPIServer()
        server.put("a", labels: ["app": "web"])
        server.put("b", labels: ["app": "db"])
        server.put("c", namespace: "other", labels: ["app": "web"])
        let informer = makeInformer(server, pageSize: 2)
        let added = LockedBox<[String]>([])
        informer.onAdd { object in added.with { $0.append(ObjectCache.key(for: object)) } }
        #expect(!informer.hasSynced)
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        #expect(informer.hasSynced)
        #expect(added.with { $0.sorted() } == ["default/a", "default/b", "other/c"])
        #expect(informer.cache.count == 3)
        #expect(informer.lastResourceVersion == String(server.currentRevision))
        let a = try #require(informer.cache.get(namespace: "default", name: "a"))
        #expect(a["kind"] == "ConfigMap")
        #expect(a["apiVersion"] == "v1")
        #expect(server.listCount == 2)
        #expect(informer.cache.list(namespace: "other").count == 1)
        #expect(Set(informer.cache.byLabel("app", "web").map(ObjectCache.key(for:))) == ["default/a", "other/c"])
    }

    @Test func watchEventsReachTheCacheHandlersAndStreams() async throws {
        let server = FakeAPIServer()
        server.put("a")
        server.put("b")
        let informer = makeInformer(server)
        let updates = LockedBox<[String]>([])
        let deletes = LockedBox<[String]>([])
        informer.onUpdate { old, new in
            updates.with { $0.append("\(old["data"]["value"].string ?? "")>\(new["data"]["value"].string ?? "")") }
        }
        informer.onDelete { object in deletes.with { $0.append(ObjectCache.key(for: object)) } }
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        let log = EventLog(informer.events(replayingCache: true))
        try await log.waitFor(count: 2)
        try await waitUntil { server.openWatches == 1 }

        server.put("c")
        server.put("a", data: "v2")
        server.delete("b")
        try await log.waitFor(count: 5)
        #expect(Array(log.all.prefix(2)).sorted() == ["+a", "+b"])
        #expect(Array(log.all.dropFirst(2)) == ["+c", "~a@101>104", "-b"])
        #expect(updates.with { $0 } == [">v2"])
        #expect(deletes.with { $0 } == ["default/b"])
        #expect(Set(informer.cache.keys) == ["default/a", "default/c"])
        #expect(informer.cache.get(namespace: "default", name: "a")?["data"]["value"] == "v2")
        #expect(informer.lastResourceVersion == "105")
    }

    /// A summary as the cache keeps them: one object per version.
    private final class Value: Sendable {
        let text: String
        init(_ object: JSON) { text = object["data"]["value"].string ?? "" }
    }

    @Test func entriesCarryTheSummaryOfTheVersionStored() throws {
        let cache = ObjectCache()
        cache.summarize(with: Value.init)
        cache.upsert(["metadata": ["name": "a", "namespace": "default"], "data": ["value": "v1"]])
        cache.upsert(["metadata": ["name": "b", "namespace": "default"], "data": ["value": "w1"]])
        #expect((cache.entry(namespace: "default", name: "a")?.summary as? Value)?.text == "v1")
        cache.upsert(["metadata": ["name": "a", "namespace": "default"], "data": ["value": "v2"]])
        let a = try #require(cache.entry(key: "default/a"))
        #expect((a.summary as? Value)?.text == "v2" && a.object["data"]["value"] == "v2")
        #expect(Set(cache.entries().compactMap { ($0.summary as? Value)?.text }) == ["v2", "w1"])
        // An index added later files the entries with the summaries already read: the same objects.
        cache.addIndexer("byValue") { [$0["data"]["value"].string ?? ""] }
        let filed = cache.entries(inIndex: "byValue", "w1")
        #expect(filed.map { ($0.summary as? Value)?.text } == ["w1"])
        #expect(filed.first === cache.entry(key: "default/b"))
        cache.remove(key: "default/a")
        #expect(cache.entry(key: "default/a") == nil && cache.entries().count == 1)
        #expect(ObjectCache().entry(key: "x") == nil)
    }

    @Test func anUpdateThatMovesNothingLeavesTheIndexesPointingAtTheNewVersion() throws {
        let cache = ObjectCache()
        cache.addIndexer("byNode") { [$0["spec"]["node"].string ?? ""] }
        let first: JSON = ["metadata": ["name": "a", "namespace": "default", "labels": ["app": "web"]], "spec": ["node": "n1"], "status": ["phase": "Pending"]]
        cache.upsert(first)
        var second = first
        second["status"]["phase"] = "Running"
        #expect(cache.upsert(second) == first)
        let filed = try #require(cache.entries(inIndex: "byNode", "n1").first)
        #expect(filed === cache.entry(key: "default/a"))
        #expect(filed.object["status"]["phase"] == "Running")
        #expect(cache.byLabel("app", "web") == [second] && cache.list(namespace: "default") == [second])
        // A version with another label and node moves in both.
        var third = second
        third["metadata"]["labels"] = ["app": "api"]
        third["spec"]["node"] = "n2"
        cache.upsert(third)
        #expect(cache.byLabel("app", "web").isEmpty && cache.byLabel("app", "api") == [third])
        #expect(cache.byIndex("byNode", "n1").isEmpty && cache.byIndex("byNode", "n2") == [third])
        #expect(cache.indexValues("byNode") == ["n2"])
    }

    @Test func labelAndCustomIndexesFollowChanges() async throws {
        let server = FakeAPIServer()
        server.put("a", labels: ["app": "web"], data: "node-1")
        server.put("b", labels: ["app": "web", "tier": "front"], data: "node-2")
        let informer = makeInformer(server)
        informer.cache.addIndexer("byValue") { [$0["data"]["value"].string ?? ""] }
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        try await waitUntil { server.openWatches == 1 }
        #expect(informer.cache.byLabel("app", "web").count == 2)
        #expect(informer.cache.withLabel("tier").count == 1)
        #expect(informer.cache.byIndex("byValue", "node-1").map(ObjectCache.key(for:)) == ["default/a"])

        server.put("a", labels: ["app": "api"], data: "node-2")
        try await waitUntil { informer.cache.byLabel("app", "api").count == 1 }
        #expect(informer.cache.byLabel("app", "web").map(ObjectCache.key(for:)) == ["default/b"])
        #expect(informer.cache.byIndex("byValue", "node-1").isEmpty)
        #expect(informer.cache.byIndex("byValue", "node-2").count == 2)
        #expect(informer.cache.indexValues("byValue") == ["node-2"])

        server.delete("b")
        try await waitUntil { informer.cache.count == 1 }
        #expect(informer.cache.byLabel("app", "web").isEmpty)
        #expect(informer.cache.withLabel("tier").isEmpty)
        #expect(informer.cache.byIndex("byValue", "node-2").map(ObjectCache.key(for:)) == ["default/a"])
        #expect(informer.cache.byIndex("missing", "x").isEmpty)
        // An indexer added later indexes what is already cached.
        informer.cache.addIndexer("byName") { [$0[path: ["metadata", "name"]].string ?? ""] }
        #expect(informer.cache.byIndex("byName", "a").count == 1)
    }

    @Test(arguments: [true, false])
    func relistAfterExpiryReportsTheDifferences(asErrorEvent: Bool) async throws {
        let server = FakeAPIServer()
        server.expiredAsErrorEvent = asErrorEvent
        server.put("a")
        server.put("b")
        server.put("c")
        let informer = makeInformer(server)
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        let log = EventLog(informer.events(replayingCache: false))
        try await waitUntil { server.openWatches == 1 }

        // Changes the informer never hears about, then history it can no longer watch from.
        server.delete("b", announce: false)
        server.put("c", data: "changed", announce: false)
        server.put("d", announce: false)
        server.compact()
        server.endWatches()

        try await log.waitFor(count: 3)
        #expect(log.all.sorted() == ["+d", "-b", "~c@103>105"])
        #expect(Set(informer.cache.keys) == ["default/a", "default/c", "default/d"])
        #expect(server.listCount == 2)
        #expect(server.watchResourceVersions.prefix(2) == ["103", "103"])
        try await waitUntil { server.watchResourceVersions.last == "106" }
        // Watching goes on from the relist's version.
        server.put("e")
        try await log.waitFor(count: 4)
        #expect(log.all.last == "+e")
    }

    @Test func rewatchesFromTheLastSeenVersionWhenAWatchEnds() async throws {
        let server = FakeAPIServer()
        server.put("a")
        let informer = makeInformer(server)
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        try await waitUntil { server.openWatches == 1 }
        server.put("b")
        try await waitUntil { informer.cache.count == 2 }
        // A bookmark moves the version on without any object change.
        server.delete("b", announce: false)
        server.compact()
        server.bookmark()
        try await waitUntil { informer.lastResourceVersion == "103" }
        server.endWatches()
        try await waitUntil { server.watchResourceVersions.count == 2 }
        #expect(server.watchResourceVersions == ["101", "103"])
        #expect(server.listCount == 1)
    }

    @Test func failedRequestsAreRetried() async throws {
        let server = FakeAPIServer()
        server.put("a")
        server.failNextRequests = 3
        let informer = makeInformer(server)
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        try await informer.waitForSync()
        #expect(informer.cache.count == 1)
        #expect(server.listCount == 1)
    }

    @Test func runEndsOnCancellationAndFinishesStreams() async throws {
        let server = FakeAPIServer()
        server.put("a")
        let informer = makeInformer(server)
        let running = Task { try await informer.run() }
        try await informer.waitForSync()
        let log = EventLog(informer.events())
        try await waitUntil { server.openWatches == 1 }
        await #expect(throws: FlotillaError.self) { try await informer.run() }
        running.cancel()
        try await running.value
        try await log.waitFor(count: 2)
        #expect(log.all == ["+a", "end"])
        try await waitUntil { server.openWatches == 0 }
    }

    @Test func waitForSyncCanBeCancelled() async throws {
        let informer = makeInformer(FakeAPIServer())
        let waiter = Task { try await informer.waitForSync() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
