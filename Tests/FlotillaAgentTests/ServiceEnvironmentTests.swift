@testable import FlotillaAgent
import FlotillaCore
import Testing

@Suite struct ServiceEnvironmentTests {
    static func service(_ name: String, namespace: String, ip: String, ports: JSON) -> JSON {
        ["metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": ["clusterIP": .string(ip), "ports": ports]]
    }

    static let services: [JSON] = [
        service("kubernetes", namespace: "default", ip: "10.96.0.1", ports: [["name": "https", "port": 443, "protocol": "TCP"]]),
        service("my-db", namespace: "shop", ip: "10.96.0.20", ports: [
            ["name": "sql", "port": 5432, "protocol": "TCP"], ["name": "stats-udp", "port": 8125, "protocol": "UDP"],
        ]),
        service("headless", namespace: "shop", ip: "None", ports: [["port": 80]]),
    ]

    func pod(_ env: JSON = [], enableServiceLinks: Bool? = nil) -> JSON {
        var spec: JSON = ["containers": [["name": "app", "image": "busybox", "env": env]]]
        if let enableServiceLinks { spec["enableServiceLinks"] = .bool(enableServiceLinks) }
        return ["metadata": ["name": "p", "namespace": "shop", "uid": "u"], "spec": spec]
    }

    func environment(of pod: JSON) throws -> [String: String] {
        var inputs = PodInputs()
        inputs.services = Self.services
        let variables = try ContainerEnvironment(container: pod["spec"]["containers"][0], pod: pod, inputs: inputs).variables
        return Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    @Test func everyServiceOfTheNamespaceAndTheAPIServer() throws {
        let env = try environment(of: pod())
        #expect(env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        #expect(env["KUBERNETES_SERVICE_PORT"] == "443")
        #expect(env["KUBERNETES_SERVICE_PORT_HTTPS"] == "443")
        #expect(env["KUBERNETES_PORT"] == "tcp://10.96.0.1:443")
        #expect(env["KUBERNETES_PORT_443_TCP"] == "tcp://10.96.0.1:443")
        #expect(env["KUBERNETES_PORT_443_TCP_PROTO"] == "tcp")
        #expect(env["KUBERNETES_PORT_443_TCP_PORT"] == "443")
        #expect(env["KUBERNETES_PORT_443_TCP_ADDR"] == "10.96.0.1")
        #expect(env["MY_DB_SERVICE_HOST"] == "10.96.0.20")
        #expect(env["MY_DB_SERVICE_PORT"] == "5432")
        #expect(env["MY_DB_SERVICE_PORT_SQL"] == "5432")
        #expect(env["MY_DB_SERVICE_PORT_STATS_UDP"] == "8125")
        #expect(env["MY_DB_PORT"] == "tcp://10.96.0.20:5432")
        #expect(env["MY_DB_PORT_8125_UDP"] == "udp://10.96.0.20:8125")
        #expect(env["MY_DB_PORT_8125_UDP_PROTO"] == "udp")
        #expect(env["MY_DB_PORT_8125_UDP_ADDR"] == "10.96.0.20")
        #expect(!env.keys.contains { $0.hasPrefix("HEADLESS") })
        #expect(env.count == 8 + 4 + 1 + 4 * 2)
    }

    @Test func withoutServiceLinksOnlyTheAPIServerRemains() throws {
        let env = try environment(of: pod(enableServiceLinks: false))
        #expect(env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        #expect(!env.keys.contains { $0.hasPrefix("MY_DB") })
    }

    @Test func containerEnvironmentWinsAndMayReferToServiceVariables() throws {
        let env = try environment(of: pod([
            ["name": "MY_DB_SERVICE_HOST", "value": "db.example"], ["name": "URL", "value": "postgres://$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)"],
        ]))
        #expect(env["MY_DB_SERVICE_HOST"] == "db.example")
        #expect(env["URL"] == "postgres://db.example:5432")
    }
}
