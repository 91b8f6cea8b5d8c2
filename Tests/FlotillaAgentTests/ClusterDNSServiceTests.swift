import FlotillaAgent
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// The agent's cluster DNS against the real API server (over SQLite, in-process), queried
/// with the real `dig` on a loopback address; the cluster address itself is not used.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ClusterDNSServiceTests {

    func withServer(_ body: (KubernetesClient) async throws -> Void) async throws {
        try await withInProcessAPIServer(user: "system:node:dns", body)
    }

    /// Polls `condition` every 50 ms for up to 10 s.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<200 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
    }

    /// Runs the real dig against 127.0.0.1:`port` on a thread of its own; its output, trimmed.
    func dig(_ port: Int, _ arguments: [String]) async throws -> String {
        try await onOwnThread { try Self.digBlocking(port, arguments) }
    }

    private static func digBlocking(_ port: Int, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        process.arguments = ["@127.0.0.1", "-p", "\(port)", "+time=1", "+tries=1"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func dnsService(_ services: Informer, _ slices: Informer, port: Int) -> ClusterDNSService {
        ClusterDNSService(
            services: services, endpointSlices: slices,
            configuration: .init(upstreams: [], servesClusterAddress: false, extraListenAddresses: ["127.0.0.1:\(port)"], retryInterval: .milliseconds(200)))
    }

    @Test func answersForServicesAndEndpointSlicesAsTheyChange() async throws {
        try await withServer { client in
            let services = Informer(client: client, resource: .services)
            let slices = Informer(client: client, resource: .endpointSlices)
            let port = try FreePort.loopback()
            let dns = dnsService(services, slices, port: port)
            let tasks = [Task { try await services.run() }, Task { try await slices.run() }, Task { try await dns.run() }]
            defer { for task in tasks { task.cancel() } }

            _ = try await client.create(.services, namespace: "default", [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                "spec": ["clusterIP": "10.96.0.50", "ports": [["name": "http", "port": 80, "protocol": "TCP"]], "selector": ["app": "web"]],
            ])
            _ = try await client.create(.services, namespace: "default", [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "db"],
                "spec": ["clusterIP": "None", "ports": [["name": "sql", "port": 5432]], "selector": ["app": "db"]],
            ])
            _ = try await client.create(.endpointSlices, namespace: "default", [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": ["name": "db-abcde", "labels": ["kubernetes.io/service-name": "db"]],
                "addressType": "IPv4",
                "endpoints": [
                    ["addresses": ["10.244.0.9"], "hostname": "db-0", "conditions": ["ready": true]],
                    ["addresses": ["10.244.0.10"], "hostname": "db-1", "conditions": ["ready": false]],
                ],
                "ports": [["name": "sql", "port": 5432, "protocol": "TCP"]],
            ])

            try await eventually("web resolves") { try await dig(port, ["web.default.svc.cluster.local", "+short"]) == "10.96.0.50" }
            #expect(try await dig(port, ["_http._tcp.web.default.svc.cluster.local", "SRV", "+short"]) == "0 100 80 web.default.svc.cluster.local.")
            try await eventually("db resolves to its ready endpoint") { try await dig(port, ["db.default.svc.cluster.local", "+short"]) == "10.244.0.9" }
            #expect(try await dig(port, ["db-0.db.default.svc.cluster.local", "+tcp", "+short"]) == "10.244.0.9")
            #expect(try await dig(port, ["_sql._tcp.db.default.svc.cluster.local", "SRV", "+short"]) == "0 100 5432 db-0.db.default.svc.cluster.local.")
            #expect(try await dig(port, ["db-1.db.default.svc.cluster.local"]).contains("status: NXDOMAIN"))

            try await client.delete(.services, namespace: "default", name: "web")
            try await eventually("web is gone") { try await dig(port, ["web.default.svc.cluster.local"]).contains("status: NXDOMAIN") }
        }
    }

    @Test func anotherAgentTakesOverTheAddressWhenItsOwnerStops() async throws {
        try await withServer { client in
            let services = Informer(client: client, resource: .services)
            let slices = Informer(client: client, resource: .endpointSlices)
            let port = try FreePort.loopback()
            let owner = dnsService(services, slices, port: port)
            let standby = dnsService(services, slices, port: port)
            let informers = [Task { try await services.run() }, Task { try await slices.run() }]
            defer { for task in informers { task.cancel() } }
            _ = try await client.create(.services, namespace: "default", [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                "spec": ["clusterIP": "10.96.0.51", "ports": [["port": 80]]],
            ])
            let first = Task { try await owner.run() }
            try await eventually("the owner answers") { try await dig(port, ["web.default.svc.cluster.local", "+short"]) == "10.96.0.51" }
            let second = Task { try await standby.run() }
            defer { second.cancel() }
            try await Task.sleep(for: .milliseconds(500))
            first.cancel()
            try await first.value
            try await eventually("the standby answers") { try await dig(port, ["web.default.svc.cluster.local", "+short"]) == "10.96.0.51" }
        }
    }
}
