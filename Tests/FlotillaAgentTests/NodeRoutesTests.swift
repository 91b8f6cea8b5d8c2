import FlotillaAgent
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaNetwork
import FlotillaStore
import Foundation
import Testing

/// The host-gw routes kept in step with the Nodes of a real API server (SQLite, in-process), in a
/// routing table that stands in for the host's.
@Suite(.serialized, .timeLimit(.minutes(1))) struct NodeRoutesTests {

    /// A routing table in memory on a host with address 172.30.5.10/24 and the pod bridge.
    final class MemoryRouteTable: PodRouteTable {
        let routes = Locked<[IPv4Subnet: IPv4Address]>([:])

        init(_ installed: [PodSubnetRoute] = []) {
            routes.withLock { table in for route in installed { table[route.destination] = route.gateway } }
        }

        func installedRoutes() async throws -> [PodSubnetRoute] {
            routes.withLock { $0.map { PodSubnetRoute(destination: $0.key, gateway: $0.value) } }
        }

        func replace(_ route: PodSubnetRoute) async throws {
            routes.withLock { $0[route.destination] = route.gateway }
        }

        func delete(_ route: PodSubnetRoute) async throws {
            routes.withLock { $0[route.destination] = nil }
        }

        func interfaceAddresses() async throws -> [HostRoutingTable.InterfaceAddress] {
            [
                .init(interface: "lo", address: IPv4Address("127.0.0.1")!, network: IPv4Subnet("127.0.0.0/8")!),
                .init(interface: "eth0", address: IPv4Address("172.30.5.10")!, network: IPv4Subnet("172.30.5.0/24")!),
                .init(interface: "flotilla0", address: IPv4Address("10.244.1.1")!, network: IPv4Subnet("10.244.1.0/24")!),
            ]
        }

        var text: [String] { routes.withLock { $0.map { "\($0.key) via \($0.value)" }.sorted() } }
    }

    func withServer(_ body: (KubernetesClient) async throws -> Void) async throws {
        try await withInProcessAPIServer(user: "system:admin", body)
    }

    static func node(_ name: String, podCIDR: String?, address: String, runtime: String = "cri") -> JSON {
        var spec: JSONObject = [:]
        if let podCIDR { spec["podCIDR"] = .string(podCIDR) }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "annotations": ["flotilla.io/runtime": .string(runtime)]],
            "spec": .object(spec), "status": ["addresses": [["type": "InternalIP", "address": .string(address)]]],
        ]
    }

    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
    }

    @Test func followsNodesAddedChangedAndDeletedAndDropsStaleRoutes() async throws {
        try await withServer { client in
            for node in [
                Self.node("self", podCIDR: "10.244.1.0/24", address: "172.30.5.10"),
                Self.node("b", podCIDR: "10.244.2.0/24", address: "172.30.5.11"),
                Self.node("far", podCIDR: "10.244.3.0/24", address: "192.0.2.9"),
                Self.node("hollow", podCIDR: "10.244.4.0/24", address: "172.30.5.12", runtime: "simulated"),
            ] {
                _ = try await client.create(.nodes, node)
            }
            let table = MemoryRouteTable([PodSubnetRoute(destination: IPv4Subnet("10.244.9.0/24")!, gateway: IPv4Address("172.30.5.99")!)])
            let routes = NodeRoutes(client: client, nodeName: "self", podSubnet: IPv4Subnet("10.244.1.0/24")!, bridge: "flotilla0", table: table)
            let running = Task { try await routes.run() }
            defer { running.cancel() }

            try await eventually("b is routed and the stale route is gone") { table.text == ["10.244.2.0/24 via 172.30.5.11"] }

            // The server assigns c the lowest free subnet.
            let c = try await client.create(.nodes, Self.node("c", podCIDR: nil, address: "172.30.5.13"))
            #expect(c["spec"]["podCIDR"] == "10.244.0.0/24")
            try await eventually("c is routed with the subnet it was assigned") {
                table.text == ["10.244.0.0/24 via 172.30.5.13", "10.244.2.0/24 via 172.30.5.11"]
            }

            _ = try await client.patch(
                .nodes, name: "b", ["status": ["addresses": [["type": "InternalIP", "address": "172.30.5.21"]]]], type: .merge, subresource: "status")
            try await eventually("b's route follows its new address") {
                table.text == ["10.244.0.0/24 via 172.30.5.13", "10.244.2.0/24 via 172.30.5.21"]
            }

            try await client.delete(.nodes, name: "c")
            try await eventually("c's route goes with it") { table.text == ["10.244.2.0/24 via 172.30.5.21"] }
        }
    }
}
