import FlotillaCore
import GRPCCore
import GRPCNIOTransportHTTP2

/// A client of a CRI runtime (containerd, CRI-O) on its unix socket: the `runtime.v1`
/// RuntimeService and ImageService calls the node agent makes, each taking and returning the
/// CRI's own messages.
///
/// Failed calls throw `FlotillaError` carrying the runtime's message. The connection comes back
/// by itself when the runtime restarts; a call made meanwhile waits for it until its deadline.
/// Calls that are safe to repeat (reads, stops, removals, pulls) are tried again, up to 3 times,
/// when the connection drops under them: containerd's gRPC server pings the client after each
/// request it receives (to size its flow-control window), and under a burst of calls that goes
/// past the client's HTTP/2 limit on control frames (200 in 30 s), which closes the connection.
/// ``close()`` ends the client.
public final class CRIClient: Sendable {
    /// How calls are made.
    public struct Options: Sendable, Equatable {
        /// The deadline of every call but image pulls.
        public var timeout: Duration
        /// The deadline of an image pull.
        public var pullTimeout: Duration
        /// The largest response accepted (exec output can be up to 16 MiB per stream).
        public var maxResponseBytes: Int

        public init(timeout: Duration = .seconds(120), pullTimeout: Duration = .seconds(600), maxResponseBytes: Int = 48 << 20) {
            self.timeout = timeout
            self.pullTimeout = pullTimeout
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// The runtime's socket.
    public let socketPath: String
    public let options: Options
    let runtime: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    let images: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>
    private let grpc: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>

    /// A client of the runtime at `endpoint` (`unix:///path` or `/path`). Connects lazily.
    public init(endpoint: String, options: Options = Options()) throws {
        socketPath = try CRIEndpoint.socketPath(endpoint)
        self.options = options
        let transport = try HTTP2ClientTransport.Posix(
            target: .unixDomainSocket(path: socketPath, authority: "localhost"),
            transportSecurity: .plaintext,
            config: .defaults { config in
                // Reconnect quickly after a runtime restart.
                config.backoff = .init(initial: .milliseconds(50), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
            })
        let grpc = GRPCClient(transport: transport)
        self.grpc = grpc
        runtime = Runtime_V1_RuntimeService.Client(wrapping: grpc)
        images = Runtime_V1_ImageService.Client(wrapping: grpc)
        connections = Task { try? await grpc.runConnections() }
    }

    /// Closes the connection once calls in flight have finished.
    public func close() async {
        grpc.beginGracefulShutdown()
        await connections.value
    }

    /// How calls that are safe to repeat are tried again when the connection drops under them.
    private static let retryPolicy = RetryPolicy(
        maxAttempts: 3, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200), backoffMultiplier: 2,
        retryableStatusCodes: [.unavailable])

    /// Runs one call named `name` with the client's deadline (or `timeout`), mapping its failure
    /// to a `FlotillaError`; an `idempotent` call is retried when the connection drops.
    func call<Response: Sendable>(
        _ name: String, idempotent: Bool = true, timeout: Duration? = nil, _ body: (CallOptions) async throws -> Response
    ) async throws -> Response {
        var callOptions = CallOptions.defaults
        callOptions.timeout = timeout ?? options.timeout
        callOptions.waitForReady = true
        callOptions.maxResponseMessageBytes = options.maxResponseBytes
        if idempotent { callOptions.executionPolicy = .retry(Self.retryPolicy) }
        do {
            return try await body(callOptions)
        } catch let error as RPCError {
            throw FlotillaError(error, call: name)
        }
    }
}
