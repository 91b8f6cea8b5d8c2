import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import Testing

/// The real API server behind its HTTPS listener on 127.0.0.1 and a free port.
final class HTTPSCluster: Sendable {
    let cluster: InProcessCluster
    let pki: ClusterPKI
    let token = "test-admin-token"
    let port: Int
    private let listener: Task<Void, any Error>

    init() async throws {
        let cluster = try InProcessCluster()
        self.cluster = cluster
        pki = try ClusterPKI.loadOrCreate(directory: cluster.directory + "/pki")
        let responder = APIResponder(
            handler: cluster.server, authenticator: TokenAuthenticator(adminToken: token), metrics: APIMetrics(),
            logger: Logger(label: "test"), requestLogLevel: .trace)
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let ready = APIHTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, tls: try pki.tlsConfiguration()), responder: responder,
            logger: Logger(label: "test"), onReady: { port in portsContinuation.yield(port) })
        listener = Task { try await ready.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw FlotillaError(.internalError, "the listener did not start") }
        self.port = port
    }

    var url: String { "https://127.0.0.1:\(port)" }

    func transport(token: String? = nil, ca: String? = nil) throws -> HTTPTransport {
        try HTTPTransport(baseURL: url, caCertificatesPEM: Array((ca ?? pki.caCertificatePEM).utf8), token: token ?? self.token)
    }

    func close() async {
        listener.cancel()
        _ = try? await listener.value
        await cluster.close()
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPTransportTests {
    @Test func requestsAndWatchOverHTTPS() async throws {
        let https = try await HTTPSCluster()
        let transport = try https.transport()
        let client = KubernetesClient(transport: transport)
        do {
            let namespaces = try await client.list(.namespaces)
            #expect(namespaces.items.map { $0[path: ["metadata", "name"]].string ?? "" }.contains("default"))

            let start = try await client.list(.leases, namespace: "default").resourceVersion
            let events = try await client.watch(.leases, namespace: "default", resourceVersion: start, timeoutSeconds: 30)
            let reader = Task {
                var names: [String] = []
                for try await event in events where event.type == .added {
                    names.append(event.object[path: ["metadata", "name"]].string ?? "")
                    if names.count == 2 { break }
                }
                return names
            }
            let created = try await client.create(.leases, InProcessCluster.lease("over-https"))
            #expect(created[path: ["metadata", "name"]] == "over-https")
            _ = try await client.create(.leases, InProcessCluster.lease("second"))
            #expect(try await reader.value == ["over-https", "second"])
            let unread = try await client.patch(
                .leases, namespace: "default", name: "second", ["spec": ["holderIdentity": "z"]], type: .merge, decodingReply: false)
            #expect(unread == .null)
            #expect(try await client.get(.leases, namespace: "default", name: "second")["spec"]["holderIdentity"] == "z")

            let error = await #expect(throws: FlotillaError.self) { try await client.get(.leases, namespace: "default", name: "missing") }
            #expect(error?.code == .notFound)
            #expect(error?.message == "leases.coordination.k8s.io \"missing\" not found")
        } catch {
            Issue.record(error)
        }
        try await transport.shutdown()
        await https.close()
    }

    @Test func aBadTokenIsUnauthorizedAndAForeignCAIsRefused() async throws {
        let https = try await HTTPSCluster()
        let wrongToken = try https.transport(token: "nope")
        let unauthorized = await #expect(throws: FlotillaError.self) {
            try await KubernetesClient(transport: wrongToken).list(.namespaces)
        }
        #expect(unauthorized?.code == .unauthorized)
        try await wrongToken.shutdown()

        let otherDirectory = https.cluster.directory + "/other-pki"
        let foreign = try ClusterPKI.loadOrCreate(directory: otherDirectory)
        let wrongCA = try https.transport(ca: foreign.caCertificatePEM)
        let refused = await #expect(throws: FlotillaError.self) {
            try await KubernetesClient(transport: wrongCA).list(.namespaces)
        }
        #expect(refused?.code == .serviceUnavailable)
        try await wrongCA.shutdown()
        await https.close()
    }

    @Test func theAdminKubeconfigLeadsToTheServer() async throws {
        let https = try await HTTPSCluster()
        let written = try AdminCredentials.writeKubeconfig(
            dataDirectory: https.cluster.directory,
            kubeconfig: Kubeconfig(server: https.url, caCertificatePEM: https.pki.caCertificatePEM, token: https.token))
        let config = try KubeConfig.load(path: written)
        #expect(config.server == https.url)
        #expect(config.token == https.token)
        let transport = try HTTPTransport(kubeConfig: config)
        let namespaces = try await KubernetesClient(transport: transport).list(.namespaces)
        #expect(namespaces.items.count >= 4)
        try await transport.shutdown()
        await https.close()
    }

    @Test func malformedCertificateAuthorityIsRejected() {
        let error = #expect(throws: FlotillaError.self) {
            try HTTPTransport(baseURL: "https://127.0.0.1:1", caCertificatesPEM: Array("not a certificate".utf8))
        }
        #expect(error?.code == .badRequest)
    }

    @Test func nothingListeningIsServiceUnavailable() async throws {
        let transport = try HTTPTransport(baseURL: "https://127.0.0.1:1", insecureSkipTLSVerify: true)
        let error = await #expect(throws: FlotillaError.self) { try await KubernetesClient(transport: transport).list(.namespaces) }
        #expect(error?.code == .serviceUnavailable)
        try await transport.shutdown()
    }
}
