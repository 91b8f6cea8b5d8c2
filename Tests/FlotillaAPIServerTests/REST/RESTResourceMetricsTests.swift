import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Foundation
import Testing

/// An agent that reports fixed usage.
struct FixedUsageAgent: APIHandler {
    let report: UsageReport

    func handle(_ request: APIRequest) async -> APIResponse {
        guard request.path == "/stats/summary" else { return APIResponse(status: 404) }
        return APIResponse(status: 200, body: .bytes(report.json.serialized()))
    }
}

/// metrics.k8s.io is computed from the agents' reports, read-only, and never stored.
@Suite("REST resource metrics")
struct RESTResourceMetricsTests {
    static let metrics = "/apis/metrics.k8s.io/v1beta1"

    static func sample(_ cpu: UInt64, _ memory: UInt64) -> UsageReport.Sample {
        UsageReport.Sample(timestamp: Date(), windowNanoseconds: 1_500_000_000, cpuNanoCores: cpu, memoryWorkingSetBytes: memory)
    }

    @Test func nodesAndPodsComeFromReachableAgents() async throws {
        try await TestServer.with { s in
            for name in ["n1", "n2"] {
                let node: JSON = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": ["zone": "a"]]]
                _ = await s.send("POST", "/api/v1/nodes", body: node)
            }
            let created = await s.send("POST", Objects.pods, body: Objects.pod("web", labels: ["app": "web"], nodeName: "n1"))
            let uid = try #require(created.json["metadata"]["uid"].string)
            let main = UsageReport.Container(name: "main", sample: Self.sample(200_000_000, 50 << 20))
            let report = UsageReport(
                node: Self.sample(1_250_000_000, 2 << 30), pods: [.init(name: "web", namespace: "default", uid: uid, containers: [main])])
            s.server.nodes.register(node: "n1", handler: FixedUsageAgent(report: report))

            let nodes = await s.send("GET", Self.metrics + "/nodes")
            #expect(nodes.status == 200)
            #expect(nodes.json["kind"] == "NodeMetricsList")
            #expect(nodes.json["items"].array?.count == 1)
            #expect(nodes.json["items"][0]["metadata"]["name"] == "n1")
            #expect(nodes.json["items"][0]["usage"] == ["cpu": "1250m", "memory": "2Gi"])
            #expect(nodes.json["items"][0]["window"] == "1.5s")

            let unreachable = await s.send("GET", Self.metrics + "/nodes/n2")
            #expect(unreachable.status == 404)
            #expect(unreachable.json["message"] == #"nodemetrics.metrics.k8s.io "n2" not found"#)

            let pod = await s.send("GET", Self.metrics + "/namespaces/default/pods/web")
            #expect(pod.status == 200)
            #expect(pod.json["containers"] == [["name": "main", "usage": ["cpu": "200m", "memory": "50Mi"]]])
            #expect(pod.json["metadata"]["labels"] == ["app": "web"])

            let selected = await s.send("GET", Self.metrics + "/pods", query: [("labelSelector", "app=web")])
            #expect(selected.json["items"].array?.count == 1)
            let none = await s.send("GET", Self.metrics + "/pods", query: [("labelSelector", "app!=web")])
            #expect(none.json["items"] == [])

            let table = await s.send(
                "GET", Self.metrics + "/namespaces/default/pods", accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.json["rows"][0]["cells"] == ["web", "200m", "50Mi", "1.5s"])
        }
    }

    @Test func writesAndBadSelectorsAreRefused() async throws {
        try await TestServer.with { s in
            let body: JSON = ["apiVersion": "metrics.k8s.io/v1beta1", "kind": "NodeMetrics", "metadata": ["name": "n1"]]
            #expect(await s.send("POST", Self.metrics + "/nodes", body: body).status == 405)
            #expect(await s.send("PUT", Self.metrics + "/nodes/n1", body: body).status == 405)
            #expect(await s.send("DELETE", Self.metrics + "/namespaces/default/pods/web").status == 405)
            #expect(await s.send("DELETE", Self.metrics + "/namespaces/default/pods").status == 405)
            #expect(await s.send("GET", Self.metrics + "/nodes", query: [("watch", "true")]).status == 405)
            #expect(await s.send("GET", Self.metrics + "/namespaces/default/pods/none").status == 404)
            #expect(await s.send("GET", Self.metrics + "/pods", query: [("labelSelector", "a in (b")]).status == 400)
        }
    }
}
