import AsyncHTTPClient
import FlotillaAPI
import FlotillaCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// A transport over HTTPS to a Flotilla (or any Kubernetes) API server.
///
/// The cluster CA is the only trust root; requests carry `Authorization: Bearer <token>`;
/// connections are kept alive in a pool sized for many concurrent requests and long-running
/// watches. Watch and log-follow replies stream their bodies as they arrive.
///
/// Call ``shutdown()`` when done: it closes the pool's connections.
public final class HTTPTransport: ClientTransport {
    /// `https://host:port`, without a trailing slash.
    public let baseURL: String
    private let token: String?
    private let client: HTTPClient
    /// How long a non-streaming request may wait for its reply to begin.
    private let requestTimeout: TimeAmount
    /// The largest non-streaming reply body accepted.
    private let maxBodyBytes: Int

    /// - Parameters:
    ///   - baseURL: the server, e.g. `https://127.0.0.1:6443`.
    ///   - caCertificatesPEM: the cluster CA in PEM; when nil, the system's trust roots are used.
    ///   - token: the bearer token, if any.
    ///   - insecureSkipTLSVerify: accept any server certificate (tests and bootstrap only).
    ///   - maxConnectionsPerHost: the keep-alive pool size; each open watch holds one connection.
    public convenience init(
        baseURL: String, caCertificatesPEM: [UInt8]? = nil, token: String? = nil,
        insecureSkipTLSVerify: Bool = false, maxConnectionsPerHost: Int = 64,
        requestTimeout: Duration = .seconds(60), maxBodyBytes: Int = 512 << 20
    ) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let caCertificatesPEM {
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMBytes(caCertificatesPEM)
            } catch {
                throw FlotillaError(.badRequest, "the certificate authority data is not valid PEM: \(error)")
            }
            guard !roots.isEmpty else {
                throw FlotillaError(.badRequest, "the certificate authority data holds no certificate")
            }
            tls.trustRoots = .certificates(roots)
        }
        self.init(
            baseURL: baseURL, tls: tls, token: token, maxConnectionsPerHost: maxConnectionsPerHost,
            requestTimeout: requestTimeout, maxBodyBytes: maxBodyBytes)
    }

    /// A transport with its own TLS settings (e.g. a client certificate and one trusted server certificate).
    public init(
        baseURL: String, tls: TLSConfiguration, token: String? = nil, maxConnectionsPerHost: Int = 64,
        requestTimeout: Duration = .seconds(60), maxBodyBytes: Int = 512 << 20
    ) {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost))
        configuration.httpVersion = .automatic
        // Fail at once when the server is unreachable or its certificate is wrong: callers
        // (informers, controllers) retry with their own back-off.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.requestTimeout = TimeAmount.nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000)
        self.maxBodyBytes = maxBodyBytes
    }

    /// A transport for the cluster, CA and credentials of a kubeconfig's current context.
    public convenience init(kubeConfig: KubeConfig, maxConnectionsPerHost: Int = 64) throws {
        try self.init(
            baseURL: kubeConfig.server, caCertificatesPEM: kubeConfig.certificateAuthorityPEM, token: kubeConfig.token,
            insecureSkipTLSVerify: kubeConfig.insecureSkipTLSVerify, maxConnectionsPerHost: maxConnectionsPerHost)
    }

    /// Closes all connections; the transport cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: APIRequest) async throws -> APIResponse {
        var outgoing = HTTPClientRequest(url: baseURL + request.path + Self.queryString(request.query))
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers where header.name != "authorization" && header.name != "host" {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let token, !token.isEmpty {
            outgoing.headers.replaceOrAdd(name: "authorization", value: "Bearer \(token)")
        }
        if let object = request.object {
            outgoing.body = .bytes(ByteBuffer(bytes: object.serialized()))
        } else if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let streaming = Self.isStreaming(request)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: requestTimeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw FlotillaError(.serviceUnavailable, "cannot reach \(baseURL): \(error)")
        }
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        let status = Int(response.status.code)
        if streaming && (200..<300).contains(status) {
            let body = response.body
            let (chunks, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
            let reader = Task {
                do {
                    for try await buffer in body { continuation.yield(Array(buffer.readableBytesView)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
            return APIResponse(status: status, headers: headers, body: .stream(chunks))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: maxBodyBytes)
        } catch {
            throw FlotillaError(.internalError, "reading the reply from \(baseURL) failed: \(error)")
        }
        return APIResponse(status: status, headers: headers, body: .bytes(Array(buffer.readableBytesView)))
    }

    /// Watches and followed logs stream; everything else is read whole.
    static func isStreaming(_ request: APIRequest) -> Bool {
        let flag = { (name: String) in ["true", "1"].contains(request.queryValue(name)?.lowercased() ?? "") }
        return flag("watch") || flag("follow") || request.path.contains("/watch/")
    }

    /// `?a=1&b=x%3Dy`, or empty.
    public static func queryString(_ query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        ResourceRef.escape(text)
    }
}
