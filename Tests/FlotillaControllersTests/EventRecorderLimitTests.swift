import FlotillaClient
import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Event recorder limits")
struct EventRecorderLimitTests {
    @Test func anObjectGetsAtMost25EventsWrittenInABurst() async throws {
        let cluster = try ControllerTestServer(label: "events") { _, _ in .init(informers: [], events: nil, controllers: []) }
        let recorder = EventRecorder(client: cluster.client, component: "test", instance: "t", capacity: 1000, logger: .init(label: "test"))
        let writing = Task { await recorder.run() }
        let busy: JSON = ["metadata": ["name": "web", "namespace": "default", "uid": "u-web"]]
        let quiet: JSON = ["metadata": ["name": "api", "namespace": "default", "uid": "u-api"]]
        for i in 0..<40 {
            recorder.record(busy, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulCreate", message: "Created pod: web-\(i)")
        }
        recorder.record(quiet, apiVersion: "apps/v1", kind: "ReplicaSet", reason: "SuccessfulCreate", message: "Created pod: api-0")
        recorder.close()
        await writing.value
        let events = try await cluster.client.list(.events, namespace: "default").items
        let about = { (name: String) in events.filter { $0["involvedObject"]["name"].string == name } }
        #expect(about("web").count == 25)
        #expect(about("web").compactMap { $0["message"].string }.sorted() == (0..<25).map { "Created pod: web-\($0)" }.sorted())
        #expect(about("api").count == 1)
        await cluster.close()
    }
}
