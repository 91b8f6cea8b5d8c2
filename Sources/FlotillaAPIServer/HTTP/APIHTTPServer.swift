import FlotillaAPI
import FlotillaCore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The API server's HTTPS listener: a Hummingbird application (HTTP/1.1 with keep-alive, TLS
/// from ``ClusterPKI``, websocket upgrades for pod connections) in front of an ``APIResponder``.
/// Run it in a `ServiceGroup`.
public struct APIHTTPServer: Service, CustomStringConvertible {
    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// The address to bind, e.g. `127.0.0.1`, `0.0.0.0` or `::1`.
        public var host: String
        /// The port; 0 picks a free one (``APIHTTPServer/init(configuration:responder:logger:onReady:)``'s
        /// `onReady` gets the real one).
        public var port: Int
        /// TLS; nil serves plain HTTP (only for tests of the HTTP layer itself).
        public var tls: TLSConfiguration?
        /// Closes a connection that sends nothing for this long (nil: never).
        public var idleTimeout: Duration?

        public init(host: String, port: Int, tls: TLSConfiguration?, idleTimeout: Duration? = .seconds(600)) {
            self.host = host
            self.port = port
            self.tls = tls
            self.idleTimeout = idleTimeout
        }
    }

    let configuration: Configuration
    let responder: APIResponder
    let logger: Logger
    let onReady: @Sendable (_ port: Int) async -> Void

    /// - Parameter onReady: called once the socket is bound, with the port it is bound to.
    public init(
        configuration: Configuration, responder: APIResponder, logger: Logger,
        onReady: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.onReady = onReady
    }

    /// The listen address only (the service description is logged; it must not carry secrets).
    public var description: String { "APIHTTPServer(\(configuration.host):\(configuration.port))" }

    public func run() async throws {
        let idle = configuration.idleTimeout.map { TimeAmount.nanoseconds(Int64($0.components.seconds) * 1_000_000_000) }
        let responder = self.responder
        let http1 = HTTPServerBuilder.http1WebSocketUpgrade(
            configuration: .init(http1: .init(idleTimeout: idle), ws: .init(maxFrameSize: APIResponder.maxMessageSize))
        ) { head, _, logger in
            await responder.upgrade(head, logger: logger)
        }
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            server = try .tls(http1, tlsConfiguration: tls)
        } else {
            server = http1
        }
        let onReady = self.onReady
        let fallbackPort = configuration.port
        let application = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? fallbackPort) },
            logger: logger
        )
        try await application.run()
    }
}
