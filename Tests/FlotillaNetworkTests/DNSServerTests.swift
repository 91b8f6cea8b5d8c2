import FlotillaCore
import Foundation
@testable import FlotillaNetwork
import NIOCore
import Testing

/// The server over loopback: UDP and TCP, truncation, forwarding to a fake upstream, and the
/// real `dig` as a client.
@Suite(.timeLimit(.minutes(1))) struct DNSServerTests {
    static let directory = ServiceDirectory(services: [
        .init(namespace: "default", name: "web", kind: .clusterIP(IPv4Address("10.96.0.20")), ports: [.init(name: "http", port: 80)]),
        .init(
            namespace: "default", name: "many", kind: .headless,
            endpoints: (1...60).map { .init(ip: IPv4Address(0x0AF4_0000 + UInt32($0))) }),
    ])

    /// Runs `body` with a server on 127.0.0.1 (a free port) answering from ``directory`` and
    /// forwarding to `upstreams`.
    func withServer(upstreams: [SocketAddress] = [], timeout: TimeAmount = .seconds(2), _ body: (Int, DNSForwarder) async throws -> Void) async throws {
        let resolver = ClusterDNSResolver()
        resolver.update(Self.directory)
        let forwarder = DNSForwarder(upstreams: upstreams, timeout: timeout)
        let server = DNSServer(resolver: resolver, forwarder: forwarder, listen: [try DNSAddress.parse("127.0.0.1:0")])
        let bound = try await server.bind()
        let running = Task { try await server.run() }
        defer { running.cancel() }
        try await body(try #require(bound.first?.port), forwarder)
        running.cancel()
        try await running.value
    }

    @Test func answersOverUDPAndTCPOnOnePort() async throws {
        try await withServer { port, _ in
            let query = DNSTestQuery.bytes("web.default.svc.cluster.local", id: 77)
            for answer in [try await LoopbackSockets.udpExchange(query, port: port), try await LoopbackSockets.tcpExchange(query, port: port)] {
                let message = try DNSTestMessage(answer)
                #expect(message.id == 77)
                #expect(message.answers.map(\.data) == ["10.96.0.20"])
            }
        }
    }

    @Test func largeAnswersAreTruncatedOverUDPAndWholeOverTCP() async throws {
        try await withServer { port, _ in
            let query = DNSTestQuery.bytes("many.default.svc.cluster.local")
            let udp = try DNSTestMessage(try await LoopbackSockets.udpExchange(query, port: port))
            #expect(udp.truncated && udp.answers.isEmpty)
            let tcp = try DNSTestMessage(try await LoopbackSockets.tcpExchange(query, port: port))
            #expect(!tcp.truncated && tcp.answers.count == 60)
            // A long query (an OPT record padded to 600 bytes, RFC 7830) is read whole.
            var padded = DNSTestQuery.bytes("web.default.svc.cluster.local", udpPayloadSize: 1232)
            padded.replaceSubrange((padded.count - 2)..., with: [0x02, 0x5C, 0x00, 0x0C, 0x02, 0x58] + [UInt8](repeating: 0, count: 600))
            let long = try DNSTestMessage(try await LoopbackSockets.udpExchange(padded, port: port))
            #expect(long.code == .noError && long.answers.count == 1)
            // With EDNS0 the client takes up to 1232 bytes, enough for all 60.
            let edns = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("many.default.svc.cluster.local", udpPayloadSize: 4096), port: port))
            #expect(!edns.truncated && edns.answers.count == 60)
        }
    }

    @Test func malformedDatagramsGetFORMERRAndTheServerCarriesOn() async throws {
        try await withServer { port, _ in
            let broken: [UInt8] = [0xAB, 0xCD, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C]
            let answer = try DNSTestMessage(try await LoopbackSockets.udpExchange(broken, port: port))
            #expect(answer.id == 0xABCD && answer.code == .formatError)
            let tcp = try DNSTestMessage(try await LoopbackSockets.tcpExchange(broken, port: port))
            #expect(tcp.code == .formatError)
            let fine = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("web.default.svc.cluster.local"), port: port))
            #expect(fine.answers.count == 1)
        }
    }

    @Test func forwardsOtherNamesAndRetriesTruncatedAnswersOverTCP() async throws {
        let upstream = try FakeUpstream()
        defer { upstream.stop() }
        try await withServer(upstreams: [try DNSAddress.parse("127.0.0.1:\(upstream.port)")]) { port, _ in
            let plain = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("Example.COM", id: 4321), port: port))
            #expect(plain.id == 4321 && plain.code == .noError)
            #expect(plain.answers.map(\.data) == ["192.0.2.1"])
            #expect(upstream.queries.udp == 1 && upstream.queries.tcp == 0)

            // Truncated upstream over UDP → fetched over TCP; too big for a plain UDP client, so it
            // is truncated to it, and whole over TCP or with EDNS0.
            let big = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("big.example.com"), port: port))
            #expect(big.truncated)
            #expect(upstream.queries.tcp == 1)
            let viaTCP = try DNSTestMessage(try await LoopbackSockets.tcpExchange(DNSTestQuery.bytes("big.example.com", id: 9), port: port))
            #expect(viaTCP.id == 9 && viaTCP.answers.count == 40 && !viaTCP.truncated)
            let viaEDNS = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("big.example.com", udpPayloadSize: 1232), port: port))
            #expect(viaEDNS.answers.count == 40)
        }
    }

    @Test func servfailWhenNoUpstreamAnswers() async throws {
        let upstream = try FakeUpstream()
        defer { upstream.stop() }
        try await withServer(upstreams: [try DNSAddress.parse("127.0.0.1:\(upstream.port)")], timeout: .milliseconds(300)) { port, _ in
            let started = ContinuousClock.now
            let answer = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("silent.example.com", id: 5), port: port))
            #expect(answer.id == 5 && answer.code == .serverFailure)
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        try await withServer { port, _ in
            let answer = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("example.com"), port: port))
            #expect(answer.code == .serverFailure)
        }
    }

    @Test func neverForwardsToItself() async throws {
        let resolver = ClusterDNSResolver()
        let port = try FreeUDPPort.loopback()
        let forwarder = DNSForwarder(upstreams: [try DNSAddress.parse("127.0.0.1:\(port)")], timeout: .milliseconds(300))
        let server = DNSServer(resolver: resolver, forwarder: forwarder, listen: [try DNSAddress.parse("127.0.0.1:\(port)")])
        try await server.bind()
        let running = Task { try await server.run() }
        defer { running.cancel() }
        #expect(forwarder.effectiveUpstreams.isEmpty)
        let answer = try DNSTestMessage(try await LoopbackSockets.udpExchange(DNSTestQuery.bytes("example.com"), port: port))
        #expect(answer.code == .serverFailure)
    }

    @Test func aSecondServerCannotTakeABoundAddress() async throws {
        try await withServer { port, _ in
            let second = DNSServer(resolver: ClusterDNSResolver(), forwarder: nil, listen: [try DNSAddress.parse("127.0.0.1:\(port)")])
            await #expect(throws: FlotillaError.self) { try await second.bind() }
        }
    }

    @Test func digResolvesServicesAndSRVOverUDPAndTCP() async throws {
        try await withServer { port, _ in
            let a = try await Self.dig(port, ["web.default.svc.cluster.local", "+short"])
            #expect(a == "10.96.0.20")
            let srv = try await Self.dig(port, ["_http._tcp.web.default.svc.cluster.local", "SRV", "+short"])
            #expect(srv == "0 100 80 web.default.svc.cluster.local.")
            let tcp = try await Self.dig(port, ["web.default.svc.cluster.local", "+tcp", "+short"])
            #expect(tcp == "10.96.0.20")
            // dig retries a truncated UDP answer over TCP on its own.
            let many = try await Self.dig(port, ["many.default.svc.cluster.local", "+noedns", "+short"])
            #expect(many.split(separator: "\n").count == 60)
            let nx = try await Self.dig(port, ["nope.default.svc.cluster.local"])
            #expect(nx.contains("status: NXDOMAIN"))
        }
    }

    /// Runs the real dig against 127.0.0.1:`port` on a thread of its own; its output, trimmed.
    static func dig(_ port: Int, _ arguments: [String]) async throws -> String {
        try await onOwnThread { try digBlocking(port, arguments) }
    }

    private static func digBlocking(_ port: Int, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        process.arguments = ["@127.0.0.1", "-p", "\(port)", "+time=2", "+tries=1"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
