import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct StaleUDPFlowsTests {
    func port(_ proto: ProxiedServicePort.TransportProtocol = .udp, nodePort: Int? = nil, _ endpoints: [(String, Bool)]) -> ProxiedServicePort {
        ProxiedServicePort(
            namespace: "default", serviceName: "dns", transportProtocol: proto, clusterIP: IPv4Address("10.96.0.53")!, port: 53,
            nodePort: nodePort, endpoints: endpoints.map { .init(address: IPv4Address($0.0)!, port: 5353, ready: $0.1) })
    }

    @Test func aGoneOrUnreadyEndpointLosesItsFlowsAtTheClusterIPAndNodePort() {
        let before = port(nodePort: 30053, [("10.244.1.2", true), ("10.244.1.3", true), ("10.244.1.4", false)])
        let after = port(nodePort: 30053, [("10.244.1.2", true), ("10.244.1.3", false)])
        #expect(StaleUDPFlows.beforeApplying([after], after: [before]).isEmpty)
        #expect(StaleUDPFlows.afterApplying([after], after: [before]).map(\.arguments) == [
            ["-D", "-p", "udp", "--orig-dst", "10.96.0.53", "--orig-port-dst", "53", "--dst-nat", "10.244.1.3"],
            ["-D", "-p", "udp", "--orig-port-dst", "30053", "--dst-nat", "10.244.1.3"],
        ])
        #expect(StaleUDPFlows.afterApplying([], after: [before]).count == 4)
        #expect(StaleUDPFlows.afterApplying([before], after: [before]).isEmpty)
    }

    @Test func aPortThatGetsItsFirstReadyEndpointLosesItsUnNATedFlows() {
        let empty = port(nodePort: 30053, [("10.244.1.2", false)])
        let served = port(nodePort: 30053, [("10.244.1.2", true)])
        let expected = [["-D", "-p", "udp", "--orig-dst", "10.96.0.53", "--orig-port-dst", "53"], ["-D", "-p", "udp", "--orig-port-dst", "30053"]]
        #expect(StaleUDPFlows.beforeApplying([served], after: [empty]).map(\.arguments) == expected)
        #expect(StaleUDPFlows.beforeApplying([served], after: []).map(\.arguments) == expected)
        #expect(StaleUDPFlows.afterApplying([served], after: [empty]).isEmpty)
        #expect(StaleUDPFlows.beforeApplying([served], after: [served]).isEmpty)
    }

    @Test func tcpPortsNeedNothing() {
        #expect(StaleUDPFlows.afterApplying([port(.tcp, [])], after: [port(.tcp, [("10.244.1.2", true)])]).isEmpty)
        #expect(StaleUDPFlows.beforeApplying([port(.tcp, [("10.244.1.2", true)])], after: [port(.tcp, [])]).isEmpty)
    }
}

/// The host's `conntrack` on the host's own table (root), with flows inserted by hand between
/// documentation addresses that no traffic uses.
@Suite(.serialized) struct SystemConntrackTests {
    let client = "198.51.100.1", service = "198.51.100.2"

    func insert(sourcePort: Int, endpoint: String) async throws {
        _ = try await NetworkCommand.run("conntrack", [
            "-I", "-p", "udp", "--orig-src", client, "--orig-dst", service, "--orig-port-src", String(sourcePort), "--orig-port-dst", "53",
            "--reply-src", client, "--reply-dst", client, "--reply-port-src", "53", "--reply-port-dst", String(sourcePort),
            "--dst-nat", endpoint + ":5353", "--timeout", "30",
        ])
    }

    func flows() async throws -> String {
        try await NetworkCommand.execute("conntrack", ["-L", "-p", "udp", "--orig-dst", service], input: nil, tolerating: [1]).output
    }

    @Test func deletesTheFlowsOfOneEndpointOnly() async throws {
        let base = Int.random(in: 20000...40000)
        try await insert(sourcePort: base, endpoint: "198.51.100.3")
        try await insert(sourcePort: base + 1, endpoint: "198.51.100.4")
        let conntrack = SystemConntrack()
        let target = IPv4Address(service)!
        try await conntrack.delete(.init(originalDestination: target, originalPort: 53, endpoint: IPv4Address("198.51.100.3")!))
        let left = try await flows()
        #expect(!left.contains("src=198.51.100.3 ") && left.contains("src=198.51.100.4 "))
        // Nothing matching is not an error.
        try await conntrack.delete(.init(originalDestination: target, originalPort: 53, endpoint: IPv4Address("198.51.100.9")!))
        try await conntrack.delete(.init(originalDestination: target, originalPort: 53))
        #expect(try await flows().isEmpty)
    }
}
