import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Testing

@testable import FlotillaScheduler

/// The real API server over SQLite in a temporary folder, with a scheduler running against it
/// in-process.
final class ScheduledCluster: Sendable {
    let directory: String
    let store: SQLiteStore
    let server: APIServer
    let client: KubernetesClient
    let scheduler: Scheduler
    let running: Task<Void, Never>

    init(configuration: SchedulerConfiguration = SchedulerConfiguration(initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(200))) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-scheduler-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/state.db")
        server = APIServer(store: store)
        client = KubernetesClient(transport: InProcessTransport(handler: server, user: "admin"))
        let scheduler = Scheduler(
            client: KubernetesClient(transport: InProcessTransport(handler: server, user: Scheduler.user)), configuration: configuration)
        self.scheduler = scheduler
        running = Task { try? await scheduler.run() }
        try await scheduler.waitUntilReady()
    }

    func close() async {
        running.cancel()
        _ = await running.value
        server.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func pod(_ name: String) async throws -> JSON {
        try await client.get(.pods, namespace: "default", name: name)
    }

    func nodeName(_ pod: String) async throws -> String {
        try await self.pod(pod)["spec"]["nodeName"].string ?? ""
    }

    func events(for pod: String) async throws -> [JSON] {
        try await client.list(.events, namespace: "default").items.filter { $0["involvedObject"]["name"].string == pod }
    }

    static func condition(_ pod: JSON) -> JSON? {
        (pod["status"]["conditions"].array ?? []).first { $0["type"].string == "PodScheduled" }
    }
}

func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct SchedulerServiceTests {
    @Test func bindsExplainsAndRetriesWhenANodeArrives() async throws {
        let cluster = try await ScheduledCluster()
        let client = cluster.client
        _ = try await client.create(.nodes, Fixtures.node("n1", cpu: "4"))
        _ = try await client.create(.nodes, Fixtures.node("gpu", cpu: "8", taints: [Fixtures.taint("dedicated", "gpu")]))

        _ = try await client.create(.pods, Fixtures.pod("small", cpu: "1"))
        try await eventually { try await cluster.nodeName("small") == "n1" }
        try await eventually { try await cluster.events(for: "small").contains { $0["reason"] == "Scheduled" } }
        let scheduled = try await cluster.events(for: "small").first { $0["reason"] == "Scheduled" }
        #expect(scheduled?["message"] == "Successfully assigned default/small to n1")
        #expect(scheduled?["source"]["component"] == "default-scheduler")
        #expect(ScheduledCluster.condition(try await cluster.pod("small"))?["status"] == "True")

        _ = try await client.create(.pods, Fixtures.pod("big", cpu: "6"))
        let expected = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}."
        try await eventually { ScheduledCluster.condition(try await cluster.pod("big"))?["message"].string == expected }
        let condition = ScheduledCluster.condition(try await cluster.pod("big"))
        #expect(condition?["status"] == "False")
        #expect(condition?["reason"] == "Unschedulable")
        try await eventually { try await cluster.events(for: "big").contains { $0["reason"] == "FailedScheduling" } }
        let failed = try await cluster.events(for: "big").first { $0["reason"] == "FailedScheduling" }
        #expect(failed?["type"] == "Warning")
        #expect(failed?["message"].string == expected)

        // The explanation, through the route the server puts in front of the API.
        let route = ExplainRoute(scheduler: cluster.scheduler, next: cluster.server)
        let explainClient = KubernetesClient(transport: InProcessTransport(handler: route, user: "admin"))
        let reply = try await explainClient.call("GET", ExplainRoute.path(namespace: "default", name: "big"))
        let explanation = try KubernetesClient.decode(PodExplanation.self, from: reply)
        #expect(explanation.message == expected)
        #expect(explanation.suggestions.first == "to fit on n1: lower cpu request to ≤ 3")
        let placed = try await cluster.scheduler.explain(namespace: "default", name: "small")
        #expect(placed.nodeName == "n1")
        // Other paths still reach the API server.
        #expect(try await explainClient.get(.pods, namespace: "default", name: "small")["metadata"]["name"] == "small")
        let missing = await #expect(throws: FlotillaError.self) {
            try await explainClient.call("GET", ExplainRoute.path(namespace: "default", name: "nope"))
        }
        #expect(missing?.code == .notFound)

        // A node with room arrives: the pending pod is tried again at once.
        _ = try await client.create(.nodes, Fixtures.node("n2", cpu: "16"))
        try await eventually { try await cluster.nodeName("big") == "n2" }
        // The count follows the binding, which the API shows first.
        try await eventually { cluster.scheduler.statistics.scheduled == 2 }
        await cluster.close()
    }

    @Test func leavesPodsForOtherSchedulersAndGatedPodsAlone() async throws {
        let cluster = try await ScheduledCluster()
        let client = cluster.client
        _ = try await client.create(.nodes, Fixtures.node("n1"))
        _ = try await client.create(.pods, Fixtures.pod("foreign", spec: ["schedulerName": "someone-else"]))
        _ = try await client.create(.pods, Fixtures.pod("gated", spec: ["schedulingGates": [["name": "wait"]]]))
        _ = try await client.create(.pods, Fixtures.pod("packed", spec: ["schedulerName": "binpack-scheduler"]))
        try await eventually { try await cluster.nodeName("packed") == "n1" }
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await cluster.nodeName("foreign") == "")
        #expect(try await cluster.nodeName("gated") == "")
        #expect(ScheduledCluster.condition(try await cluster.pod("foreign")) == nil)
        await cluster.close()
    }

    @Test func doesNotRewriteAnUnchangedStatus() async throws {
        let cluster = try await ScheduledCluster()
        let client = cluster.client
        _ = try await client.create(.nodes, Fixtures.node("n1", cpu: "1"))
        _ = try await client.create(.pods, Fixtures.pod("big", cpu: "2"))
        try await eventually { ScheduledCluster.condition(try await cluster.pod("big")) != nil }
        let version = try await cluster.pod("big")["metadata"]["resourceVersion"]
        // Another node that does not help: the pod is tried again, with the same verdict... and
        // a new node count, so the message changes once.
        _ = try await client.create(.nodes, Fixtures.node("n2", cpu: "1"))
        let twoNodes = "0/2 nodes are available: 2 Insufficient cpu."
        try await eventually { ScheduledCluster.condition(try await cluster.pod("big"))?["message"].string == twoNodes }
        let afterChange = try await cluster.pod("big")["metadata"]["resourceVersion"]
        #expect(afterChange != version)
        // A node update that does not change the verdict leaves the status alone.
        _ = try await client.patch(.nodes, name: "n2", ["metadata": ["labels": ["extra": "label"]]], type: .merge)
        try await eventually { cluster.scheduler.statistics.unschedulable >= 3 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await cluster.pod("big")["metadata"]["resourceVersion"] == afterChange)
        // The repeated failures raise one event's count instead of writing new events.
        try await eventually { try await cluster.events(for: "big").filter { $0["message"].string == twoNodes }.first?["count"].int ?? 0 >= 2 }
        #expect(try await cluster.events(for: "big").filter { $0["message"].string == twoNodes }.count == 1)
        await cluster.close()
    }

    @Test func countsABoundPodThroughItsBindingAndPhaseReports() async throws {
        let cluster = try await ScheduledCluster()
        let client = cluster.client
        _ = try await client.create(.nodes, Fixtures.node("n1", cpu: "2"))
        for name in ["a", "b"] { _ = try await client.create(.pods, Fixtures.pod(name, cpu: "1")) }
        try await eventually {
            let a = try await cluster.nodeName("a")
            let b = try await cluster.nodeName("b")
            return a == "n1" && b == "n1"
        }
        // The agent reports the pod running: it still counts on its node.
        _ = try await client.patch(
            .pods, namespace: "default", name: "a", ["status": ["phase": "Running", "startTime": "2026-01-01T00:00:05Z"]], type: .merge,
            subresource: "status")
        _ = try await client.create(.pods, Fixtures.pod("c", cpu: "1"))
        try await eventually {
            ScheduledCluster.condition(try await cluster.pod("c"))?["message"].string == "0/1 nodes are available: 1 Insufficient cpu."
        }
        // A label added to the running pod is a change the scheduler takes in, not progress.
        _ = try await client.patch(.pods, namespace: "default", name: "a", ["metadata": ["labels": ["tier": "web"]]], type: .merge)
        _ = try await client.delete(.pods, namespace: "default", name: "b", gracePeriodSeconds: 0)
        try await eventually { try await cluster.nodeName("c") == "n1" }
        let explanation = try await cluster.scheduler.explain(namespace: "default", name: "a")
        #expect(explanation.nodeName == "n1")
        await cluster.close()
    }

    @Test func preemptsLowerPriorityPodsAndWaitsForThem() async throws {
        let cluster = try await ScheduledCluster()
        let client = cluster.client
        _ = try await client.create(.nodes, Fixtures.node("n1", cpu: "2"))
        _ = try await client.create(.pods, Fixtures.pod("low", cpu: "2", priority: 1))
        try await eventually { try await cluster.nodeName("low") == "n1" }

        _ = try await client.create(.pods, Fixtures.pod("vip", cpu: "2", priority: 1000))
        // The victim is deleted gracefully (it has a node), and the preemptor is nominated.
        try await eventually { try await !cluster.pod("low")["metadata"]["deletionTimestamp"].isNull }
        try await eventually { try await cluster.pod("vip")["status"]["nominatedNodeName"] == "n1" }
        // Events are written apart from the deletion, so the event may come a little later.
        try await eventually { try await cluster.events(for: "low").contains { $0["reason"] == "Preempted" } }
        #expect(try await cluster.nodeName("vip") == "")
        // The node's agent would now remove the victim; the preemptor then gets the node.
        _ = try await client.delete(.pods, namespace: "default", name: "low", gracePeriodSeconds: 0)
        try await eventually { try await cluster.nodeName("vip") == "n1" }
        #expect(cluster.scheduler.statistics.preemptions == 1)
        await cluster.close()
    }
}
