@testable import FlotillaAgent
import FlotillaAPI
import FlotillaCRI
import FlotillaClient
import FlotillaCore
import Logging
import Testing

@Suite struct NodeConditionsTests {
    @Test func conditionsKeepTheirTransitionTimeWhileUnchanged() {
        let first = NodeConditions().json(now: "2026-01-01T00:00:00Z")
        #expect(first.map { $0["type"].string } == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        #expect(first[3]["status"] == "True" && first[3]["reason"] == "KubeletReady")
        let down = NodeConditions(ready: false, notReadyMessage: "container runtime is down")
        let later = down.json(now: "2026-01-01T00:01:00Z", previous: .array(first))
        #expect(later[3]["status"] == "False" && later[3]["reason"] == "KubeletNotReady")
        #expect(later[3]["message"] == "container runtime is down")
        #expect(later[3]["lastTransitionTime"] == "2026-01-01T00:01:00Z")
        #expect(later[0]["lastTransitionTime"] == "2026-01-01T00:00:00Z" && later[0]["lastHeartbeatTime"] == "2026-01-01T00:01:00Z")
    }

    @Test func aRuntimeThatDoesNotAnswerMakesTheNodeNotReady() async throws {
        let client = try CRIClient(endpoint: "unix:///nonexistent/flotilla-test.sock", options: .init(timeout: .milliseconds(300)))
        var reporter = NodeStatusReporter(
            client: KubernetesClient(transport: InProcessTransport(handler: UnreachableAPI(), user: "test")), nodeName: "n",
            runtime: CRIRuntime(client: client), dataDirectory: "/", logger: Logger(label: "test"))
        reporter.interval = .seconds(1)
        let conditions = await reporter.observe()
        #expect(!conditions.ready)
        #expect(conditions.notReadyMessage.hasPrefix("container runtime is down"))
    }

    @Test func aServingRuntimeMakesTheNodeReady() async throws {
        let fixture = try await ContainerdFixture.start()
        let reporter = NodeStatusReporter(
            client: KubernetesClient(transport: InProcessTransport(handler: UnreachableAPI(), user: "test")), nodeName: "n",
            runtime: fixture.runtime, dataDirectory: fixture.directory, logger: Logger(label: "test"))
        let conditions = await reporter.observe()
        await fixture.shutdown()
        #expect(conditions.ready, "\(conditions.notReadyMessage)")
    }
}

/// An API that answers nothing: the reporter's observations do not use it.
private struct UnreachableAPI: APIHandler {
    func handle(_ request: APIRequest) async -> APIResponse {
        APIResponse(status: 503)
    }
}
