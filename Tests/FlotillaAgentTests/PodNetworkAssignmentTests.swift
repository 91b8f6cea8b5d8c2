import FlotillaAgent
import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Logging
import Testing

/// The pod subnet handshake of an agent started without `--pod-cidr`, against the real API
/// server over SQLite, reached in-process, whose allocator assigns each new node a subnet.
@Suite(.serialized, .timeLimit(.minutes(1))) struct PodNetworkAssignmentTests {
    let logger = Logger(label: "test")

    func withServer(network: ClusterNetwork = .standard, _ body: (KubernetesClient) async throws -> Void) async throws {
        try await withInProcessAPIServer(user: "system:admin", network: network, body)
    }

    @Test func createsAMinimalUnschedulableNodeAndTakesTheSubnetTheServerAssigned() async throws {
        try await withServer { client in
            let assignment = PodNetworkAssignment(
                nodeName: "n1", labels: ["zone": "a"], taints: [["key": "dedicated", "value": "db", "effect": "NoSchedule"]])
            let waiting = Task { try await assignment.subnet(client: client, logger: logger) }

            #expect(try await waiting.value == IPv4Subnet("10.244.0.0/24"))
            let node = try await client.get(.nodes, name: "n1")
            #expect(node["metadata"]["labels"]["zone"] == "a")
            #expect(node["metadata"]["labels"]["kubernetes.io/hostname"] == "n1")
            #expect(node["spec"]["taints"].array?.map { $0["key"].string ?? "" } == ["dedicated", "node.kubernetes.io/not-ready"])
            #expect(node["status"]["conditions"].isNull)

            // Registration keeps the assigned subnet.
            let description = NodeDescription(
                name: "n1", capacity: NodeCapacity(cpu: "2", memory: "1Gi", pods: 10), internalIP: "172.30.5.10", kernelVersion: "6",
                osImage: "test", architecture: "x86_64", containerRuntimeVersion: "containerd://2", agentVersion: "v0", podCIDR: "10.244.0.0/24")
            let registered = try await NodeRegistrar(client: client).register(description)
            #expect(registered["spec"]["podCIDR"] == "10.244.0.0/24")
            #expect(try await client.get(.nodes, name: "n1")["spec"]["podCIDR"] == "10.244.0.0/24")
        }
    }

    @Test func anExistingNodeWithASubnetKeepsIt() async throws {
        try await withServer { client in
            _ = try await client.create(.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n2"], "spec": ["podCIDR": "10.244.9.0/24"]])
            let subnet = try await PodNetworkAssignment(nodeName: "n2").subnet(client: client, logger: logger)
            #expect(subnet == IPv4Subnet("10.244.9.0/24"))
        }
    }

    @Test func givesUpWithAClearErrorWhenNoSubnetComes() async throws {
        // A pod network of a single /24, already taken: the server accepts the node without a subnet.
        var network = ClusterNetwork.standard
        network.podNetwork = IPv4Subnet("10.244.0.0/24")!
        try await withServer(network: network) { client in
            _ = try await client.create(.nodes, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "first"]])
            let assignment = PodNetworkAssignment(nodeName: "n3", timeout: .milliseconds(400), pollInterval: .milliseconds(50))
            let error = await #expect(throws: FlotillaError.self) { try await assignment.subnet(client: client, logger: logger) }
            #expect(error?.code == .timeout)
            let message = error?.message ?? ""
            #expect(message.contains("--pod-cidr"))
            let node = try await client.get(.nodes, name: "n3")
            #expect(node["spec"]["taints"][0]["key"] == "node.kubernetes.io/not-ready")
        }
    }
}
