import FlotillaCore
@testable import FlotillaAPIServer
import Testing

/// Service and node objects for the allocation tests.
enum ServiceObjects {
    static let services = "/api/v1/namespaces/default/services"
    static let nodes = "/api/v1/nodes"

    /// A service of `type` with one port per entry of `ports` (port numbers, node ports when
    /// non-nil), and `spec` members merged in.
    static func service(
        _ name: String, type: String = "ClusterIP", clusterIP: String? = nil, ports: [(Int64, Int64?)] = [(80, nil)],
        spec extra: JSONObject = [:]
    ) -> JSON {
        var spec: JSONObject = ["type": .string(type), "selector": ["app": .string(name)]]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        spec["ports"] = .array(ports.enumerated().map { i, p in
            var port: JSONObject = ["port": .int(p.0)]
            if ports.count > 1 { port["name"] = .string("p\(i)") }
            if let nodePort = p.1 { port["nodePort"] = .int(nodePort) }
            return .object(port)
        })
        for (k, v) in extra { spec[k] = v }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": .object(spec)]
    }

    static func node(_ name: String, podCIDR: String? = nil) -> JSON {
        var node: JSON = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        if let podCIDR { node["spec"] = ["podCIDR": .string(podCIDR)] }
        return node
    }
}

extension TestReply {
    /// The field paths of a 422's causes.
    var causeFields: [String] { (json["details"]["causes"].array ?? []).compactMap { $0["field"].string } }
}

extension TestServer {
    /// The values held through allocation keys of one range, sorted.
    private func held(_ allocator: RangeAllocator) async -> [String] {
        do {
            return try await allocator.holders().keys.sorted()
        } catch {
            Issue.record("cannot list allocations: \(error)")
            return []
        }
    }

    /// The held cluster IPs other than the `kube-dns` service's.
    func heldIPs() async -> [String] { await held(server.allocations.services.clusterIPs).filter { $0 != "10.96.0.10" } }
    func heldNodePorts() async -> [String] { await held(server.allocations.services.nodePorts) }
    func heldSubnets() async -> [String] { await held(server.allocations.nodes.subnets) }
}
