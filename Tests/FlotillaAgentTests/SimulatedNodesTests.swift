import FlotillaAgent
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// Hollow nodes against the real API server over SQLite, reached in-process.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SimulatedNodesTests {

    func withServer(_ body: (KubernetesClient) async throws -> Void) async throws {
        try await withInProcessAPIServer(user: "system:node:sim", body)
    }

    /// Polls `condition` every 20 ms for up to 10 s.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
    }

    static func pod(_ name: String) -> JSON {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "initContainers": [["name": "setup", "image": "busybox"]],
                "containers": [["name": "app", "image": "busybox"], ["name": "sidecar", "image": "busybox"]],
            ],
        ]
    }

    @Test func registersNodesWithLeasesAndRunsTheirPods() async throws {
        try await withServer { client in
            let nodes = SimulatedNodes(
                client: client,
                configuration: .init(
                    namePrefix: "hollow", count: 3, capacity: NodeCapacity(cpu: "8", memory: "16Gi", pods: 50),
                    labels: ["zone": "a"], zones: 2, taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]],
                    leaseInterval: .milliseconds(300)))
            let running = Task { try await nodes.run() }
            defer { running.cancel() }

            try await eventually("three nodes and their leases exist") {
                let names = try await client.list(.leases, namespace: "kube-node-lease").items.compactMap { $0[path: ["metadata", "name"]].string }
                return names.sorted() == ["hollow-0", "hollow-1", "hollow-2"]
            }
            let node = try await client.get(.nodes, name: "hollow-1")
            #expect(node[path: ["metadata", "labels", "zone"]] == "a")
            #expect(node[path: ["metadata", "labels", "topology.kubernetes.io/zone"]] == "zone-1")
            #expect(node[path: ["metadata", "labels", "kubernetes.io/hostname"]] == "hollow-1")
            #expect(node[path: ["status", "allocatable", "cpu"]] == "8")
            #expect(node[path: ["status", "allocatable", "pods"]] == "50")
            #expect(node["spec"]["taints"][0]["key"] == "dedicated")
            #expect(node["status"]["addresses"][0]["address"] == "198.18.0.1")
            #expect(node[path: ["status", "nodeInfo", "containerRuntimeVersion"]].string?.hasPrefix("simulated://") == true)
            let ready = node[path: ["status", "conditions"]].array?.first { $0["type"] == "Ready" }
            #expect(ready?["status"] == "True")
            let lease = try await client.get(.leases, namespace: "kube-node-lease", name: "hollow-1")
            #expect(lease["metadata"]["ownerReferences"][0]["uid"] == node[path: ["metadata", "uid"]])
            let firstRenewal = try #require(lease[path: ["spec", "renewTime"]].string)
            try await eventually("the lease is renewed") {
                try await client.get(.leases, namespace: "kube-node-lease", name: "hollow-1")[path: ["spec", "renewTime"]].string != firstRenewal
            }

            _ = try await client.create(.pods, Self.pod("web"))
            try await client.bind(pod: "web", namespace: "default", to: "hollow-2")
            try await eventually("the bound pod is Running") {
                try await client.get(.pods, namespace: "default", name: "web")[path: ["status", "phase"]] == "Running"
            }
            let pod = try await client.get(.pods, namespace: "default", name: "web")
            #expect(pod[path: ["status", "hostIP"]] == "198.18.0.2")
            #expect(pod[path: ["status", "podIP"]].string?.hasPrefix("198.19.") == true)
            #expect(pod[path: ["status", "containerStatuses"]].array?.map { $0["name"] } == ["app", "sidecar"])
            #expect(pod["status"]["containerStatuses"][0]["ready"] == true)
            #expect(pod["status"]["initContainerStatuses"][0][path: ["state", "terminated", "reason"]] == "Completed")
            let conditions = pod[path: ["status", "conditions"]].array ?? []
            #expect(conditions.contains { $0["type"] == "Ready" && $0["status"] == "True" })

            // A pod bound elsewhere is not touched.
            _ = try await client.create(.pods, Self.pod("elsewhere"))
            try await client.bind(pod: "elsewhere", namespace: "default", to: "real-node")

            // Graceful deletion of a bound pod finishes at once on a hollow node.
            try await client.delete(.pods, namespace: "default", name: "web")
            try await eventually("the deleted pod is gone") {
                do {
                    _ = try await client.get(.pods, namespace: "default", name: "web")
                    return false
                } catch let error as FlotillaError where error.code == .notFound {
                    return true
                }
            }
            let other = try await client.get(.pods, namespace: "default", name: "elsewhere")
            #expect(other[path: ["status", "phase"]] != "Running")
        }
    }

    @Test func restartedAgentKeepsUserChangesToItsNodes() async throws {
        try await withServer { client in
            let configuration = SimulatedNodes.Configuration(namePrefix: "n", count: 1, labels: ["team": "x"])
            let first = Task { try await SimulatedNodes(client: client, configuration: configuration).run() }
            try await eventually("the node exists") { (try? await client.get(.nodes, name: "n-0")) != nil }
            first.cancel()
            _ = try await client.patch(.nodes, name: "n-0", ["spec": ["unschedulable": true], "metadata": ["labels": ["extra": "y"]]], type: .merge)

            var changed = configuration
            changed.labels = ["team": "z"]
            let second = Task { try await SimulatedNodes(client: client, configuration: changed).run() }
            defer { second.cancel() }
            try await eventually("the node has the new agent's labels") {
                try await client.get(.nodes, name: "n-0")[path: ["metadata", "labels", "team"]] == "z"
            }
            let node = try await client.get(.nodes, name: "n-0")
            #expect(node[path: ["spec", "unschedulable"]] == true)
            #expect(node[path: ["metadata", "labels", "extra"]] == "y")
        }
    }
}
