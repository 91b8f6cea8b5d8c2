import AsyncHTTPClient
import FlotillaAPI
import FlotillaCore
import Foundation
import Logging
import NIOSSL
import Testing

@testable import FlotillaAPIServer

/// An agent's listener (its self-signed certificate, client certificates from the cluster CA)
/// reached as the API server reaches it, through ``RemoteAgent``.
@Suite("Agent endpoints over mutual TLS")
struct AgentEndpointTLSTests {
    static func withAgent(_ body: (_ port: Int, _ pki: ClusterPKI, _ agent: AgentServingCertificate) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "flotilla-agent-tls-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pki = try ClusterPKI.loadOrCreate(directory: dir + "/cluster")
        let agent = try AgentServingCertificate.loadOrCreate(directory: dir + "/agent", nodeName: "worker-1")
        var logger = Logger(label: "flotilla.agent.test")
        logger.logLevel = .warning
        let responder = APIResponder(handler: EdgeTestHandler(), verifiedClient: ClusterPKI.agentClientName, metrics: APIMetrics(), logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = APIHTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, tls: try agent.tlsConfiguration(clusterCAPEM: Array(pki.caCertificatePEM.utf8))),
            responder: responder, logger: logger
        ) { port in portContinuation.yield(port) }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(port, pki, agent)
    }

    static func node(port: Int, certificate: String) -> JSON {
        [
            "metadata": ["name": "worker-1", "annotations": [NodeAnnotations.agentCertificate: .string(certificate)]],
            "status": [
                "addresses": [["type": "InternalIP", "address": "127.0.0.1"]],
                "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(port))]],
            ],
        ]
    }

    @Test func theAPIServerReachesTheAgentAsItsClient() async throws {
        try await Self.withAgent { port, pki, agent in
            let connections = NodeConnections()
            connections.useClientCertificate(certificatePEM: pki.agentClientCertificatePEM, keyPEM: pki.agentClientKeyPEM)
            let handler = try #require(try connections.handler(for: Self.node(port: port, certificate: agent.certificatePEM)))
            let reply = await handler.handle(APIRequest(method: "GET", path: "/echo", query: [("a", "b c")]))
            #expect(reply.status == 200)
            guard case .bytes(let body) = reply.body else { Issue.record("expected a body"); return }
            let echo = try JSONParser.parse(body)
            #expect(echo["user"].string == ClusterPKI.agentClientName)
            #expect(echo["path"].string == "/echo")
            // The same endpoint gives the same connection.
            let again = try #require(try connections.handler(for: Self.node(port: port, certificate: agent.certificatePEM)))
            let same = (again as AnyObject) === (handler as AnyObject)
            #expect(same)
            await connections.shutdown()
        }
    }

    @Test func anotherCertificateForTheNodeIsNotTrusted() async throws {
        try await Self.withAgent { port, pki, _ in
            let impostor = try AgentServingCertificate.loadOrCreate(
                directory: NSTemporaryDirectory() + "flotilla-impostor-" + UUID().uuidString, nodeName: "worker-1")
            let connections = NodeConnections()
            connections.useClientCertificate(certificatePEM: pki.agentClientCertificatePEM, keyPEM: pki.agentClientKeyPEM)
            let handler = try #require(try connections.handler(for: Self.node(port: port, certificate: impostor.certificatePEM)))
            let reply = await handler.handle(APIRequest(method: "GET", path: "/echo"))
            #expect(reply.status == 503)
            guard case .bytes(let body) = reply.body else { Issue.record("expected a Status"); return }
            #expect(try JSONParser.parse(body)["message"].string?.contains("cannot be reached") == true)
            await connections.shutdown()
        }
    }

    @Test func clientsWithoutAClusterClientCertificateAreRefused() async throws {
        try await Self.withAgent { port, pki, agent in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(agent.certificatePEM.utf8)))
            tls.certificateVerification = .noHostnameVerification
            // The serving certificate is signed by the cluster CA but not for client authentication.
            let serving = tls
            var servingClient = serving
            servingClient.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(pki.servingCertificatePEM.utf8)).map { .certificate($0) }
            servingClient.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.servingKeyPEM.utf8), format: .pem))
            for configuration in [tls, servingClient] {
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: configuration))
                await #expect(throws: (any Error).self) {
                    _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/echo"), timeout: .seconds(10))
                }
                try await client.shutdown()
            }
        }
    }
}
