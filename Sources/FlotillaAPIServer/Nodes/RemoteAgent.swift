import FlotillaAPI
import FlotillaClient
import FlotillaCore
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL

/// The endpoints of an agent on another host, reached over HTTPS with mutual TLS: plain
/// requests (logs, stats) through an ``HTTPTransport``, upgraded ones (exec, attach,
/// port-forward) as a websocket to the agent whose messages are relayed both ways.
final class RemoteAgent: APIHandler {
    /// Where a Node says its agent listens, and the certificate to trust there.
    struct Endpoint: Equatable {
        var host: String
        var port: Int
        var certificatePEM: String

        /// The endpoint a Node publishes: its InternalIP, `status.daemonEndpoints.kubeletEndpoint.Port`
        /// and the certificate annotation; nil when any is missing.
        init?(node: JSON) {
            guard let port = node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"].int.map(Int.init), port > 0, port < 65536,
                let certificate = node["metadata"]["annotations"][NodeAnnotations.agentCertificate].string, !certificate.isEmpty,
                let address = node["status"]["addresses"].array?.first(where: { $0["type"].string == "InternalIP" })?["address"].string
            else { return nil }
            self.host = address
            self.port = port
            self.certificatePEM = certificate
        }

        /// `host:port`, bracketing an IPv6 address.
        var authority: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
    }

    let endpoint: Endpoint
    private let tls: TLSConfiguration
    private let transport: HTTPTransport
    private let logger = Logger(label: "flotilla.apiserver.agents")

    init(endpoint: Endpoint, clientCertificatePEM: String, clientKeyPEM: String) throws {
        self.endpoint = endpoint
        do {
            tls = try AgentServingCertificate.clientConfiguration(
                agentCertificatePEM: endpoint.certificatePEM, clientCertificatePEM: clientCertificatePEM, clientKeyPEM: clientKeyPEM)
        } catch {
            throw FlotillaError(.serviceUnavailable, "the agent certificate of \(endpoint.authority) cannot be used: \(error)")
        }
        transport = HTTPTransport(baseURL: "https://" + endpoint.authority, tls: tls, maxConnectionsPerHost: 16, requestTimeout: .seconds(30))
    }

    func shutdown() async {
        try? await transport.shutdown()
    }

    func handle(_ request: APIRequest) async -> APIResponse {
        if let inbound = request.inbound { return relay(request, inbound: inbound) }
        do {
            return try await transport.send(request)
        } catch {
            return Self.reply(FlotillaError(.serviceUnavailable, "the agent at \(endpoint.authority) cannot be reached: \(Self.message(error))"))
        }
    }

    /// Opens a websocket to the agent for `request` and answers `101` at once; the agent's
    /// messages become the reply's stream and the client's go to the agent. A connection that
    /// fails puts a `Status` on the error channel of exec and attach.
    private func relay(_ request: APIRequest, inbound: AsyncThrowingStream<[UInt8], any Error>) -> APIResponse {
        let chosen = request.header("sec-websocket-protocol")
        // Agents are reached by address, which TLS may not carry as a server name; the name is
        // not checked (the agent's certificate is trusted by itself).
        var configuration = WebSocketClientConfiguration(maxFrameSize: APIResponder.maxMessageSize, sniHostname: "flotilla-agent")
        if let chosen { configuration.additionalHeaders[APIResponder.webSocketProtocolField] = chosen }
        // The agent writes nothing before the empty message sent below, once this side's upgrade
        // is in place: frames that came with the `101` could be lost.
        configuration.additionalHeaders[APIResponder.readyMessageField] = "empty"
        let url = "wss://" + endpoint.authority + request.path + HTTPTransport.queryString(request.query)
        let (messages, output) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let tls = self.tls
        let logger = self.logger
        let authority = endpoint.authority
        let session = Task {
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: logger) { fromAgent, toAgent, _ in
                    try await toAgent.write(.binary(ByteBuffer()))
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in fromAgent.messages(maxSize: APIResponder.maxMessageSize) {
                                output.yield(message.bytes)
                            }
                            // The agent has said all it will: the client need not wait while
                            // the connection to the agent closes.
                            output.finish()
                        }
                        group.addTask {
                            for try await message in inbound { try await toAgent.write(.binary(ByteBuffer(bytes: message))) }
                        }
                        // Either side ending ends the session.
                        try await group.next()
                        group.cancelAll()
                    }
                }
            } catch is CancellationError {
            } catch {
                logger.debug("agent connection failed", metadata: ["agent": .string(authority), "error": .string("\(error)")])
                if let chosen, APIResponder.channelProtocols.contains(chosen) {
                    let status = FlotillaError(.serviceUnavailable, "the agent at \(authority) cannot be reached: \(Self.message(error))").status
                    output.yield([APIResponder.errorChannel] + status.serialized())
                }
            }
            output.finish()
        }
        output.onTermination = { _ in session.cancel() }
        return APIResponse(status: 101, headers: chosen.map { [("Sec-WebSocket-Protocol", $0)] } ?? [], body: .stream(messages))
    }

    private static func message(_ error: any Error) -> String {
        (error as? FlotillaError)?.message ?? "\(error)"
    }

    private static func reply(_ error: FlotillaError) -> APIResponse {
        APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
    }
}
