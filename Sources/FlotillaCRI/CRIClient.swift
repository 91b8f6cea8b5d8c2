import FlotillaCore
import GRPCCore
import GRPCNIOTransportHTTP2

/// A client of a CRI runtime (containerd, CRI-O) on its unix socket: the `runtime.v1`
/// RuntimeService and ImageService calls the node agent makes, each taking and returning the
/// CRI's own messages.
///
/// Failed calls throw `FlotillaError` carrying the runtime's message. The connections come back
/// by themselves when the runtime restarts; a call made meanwhile waits for one until its
/// deadline (30 s by default: a call whose reply was lost fails then rather than hanging).
///
/// Calls are spread over several connections in turn, each replaced by a fresh one after its
/// share of calls (``CRIConnectionPool`` tells why), and calls that are safe to repeat (reads,
/// stops, removals, pulls) are tried again, up to 3 times, when the connection drops under them
/// anyway (a runtime restart). ``close()`` ends the client.
public final class CRIClient: Sendable {
    /// How calls are made.
    public struct Options: Sendable, Equatable {
        /// The deadline of every call but image pulls, container stops (which add the grace
        /// period) and execs (which add their own timeout).
        public var timeout: Duration
        /// The deadline of an image pull.
        public var pullTimeout: Duration
        /// The largest response accepted (exec output can be up to 16 MiB per stream).
        public var maxResponseBytes: Int
        /// Connections the calls are spread over.
        public var connections: Int

        public init(
            timeout: Duration = .seconds(30), pullTimeout: Duration = .seconds(600), maxResponseBytes: Int = 48 << 20, connections: Int = 4
        ) {
            self.timeout = timeout
            self.pullTimeout = pullTimeout
            self.maxResponseBytes = maxResponseBytes
            self.connections = connections
        }
    }

    /// The runtime's socket.
    public let socketPath: String
    public let options: Options
    private let connections: CRIConnectionPool

    /// A client of the runtime at `endpoint` (`unix:///path` or `/path`). Connects lazily.
    public init(endpoint: String, options: Options = Options()) throws {
        socketPath = try CRIEndpoint.socketPath(endpoint)
        self.options = options
        connections = try CRIConnectionPool(count: options.connections) { [socketPath] in
            let transport = try HTTP2ClientTransport.Posix(
                target: .unixDomainSocket(path: socketPath, authority: "localhost"),
                transportSecurity: .plaintext,
                config: .defaults { config in
                    // Reconnect quickly after a runtime restart.
                    config.backoff = .init(initial: .milliseconds(50), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
                })
            return GRPCClient(transport: transport)
        }
    }

    /// The CRI's two services on one connection.
    struct Services {
        let runtime: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
        let images: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>
    }

    /// Closes the connections once calls in flight have finished.
    public func close() async {
        await connections.close()
    }

    /// How calls that are safe to repeat are tried again when the connection drops under them.
    private static let retryPolicy = RetryPolicy(
        maxAttempts: 3, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200), backoffMultiplier: 2,
        retryableStatusCodes: [.unavailable])

    /// Runs one call named `name` on the next connection, with the client's deadline (or
    /// `timeout`), mapping its failure to a `FlotillaError`; an `idempotent` call is retried when
    /// the connection drops.
    func call<Response: Sendable>(
        _ name: String, idempotent: Bool = true, timeout: Duration? = nil, _ body: (CallOptions, Services) async throws -> Response
    ) async throws -> Response {
        var callOptions = CallOptions.defaults
        callOptions.timeout = timeout ?? options.timeout
        callOptions.waitForReady = true
        callOptions.maxResponseMessageBytes = options.maxResponseBytes
        if idempotent { callOptions.executionPolicy = .retry(Self.retryPolicy) }
        do {
            return try await connections.withConnection { client in
                try await body(callOptions, Services(runtime: .init(wrapping: client), images: .init(wrapping: client)))
            }
        } catch let error as RPCError {
            throw FlotillaError(error, call: name)
        }
    }
}
