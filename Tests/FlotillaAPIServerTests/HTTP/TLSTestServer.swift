import AsyncHTTPClient
import FlotillaAPI
import FlotillaCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

@testable import FlotillaAPIServer

/// Runs an ``APIHTTPServer`` over TLS on 127.0.0.1 with a free port and a client that trusts its CA.
struct TLSTestServer {
    static let adminToken = "0123456789abcdef0123456789abcdef"

    let port: Int
    let client: HTTPClient
    let metrics: APIMetrics

    var base: String { "https://127.0.0.1:\(port)" }

    static func with(handler: any APIHandler, _ body: (TLSTestServer) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "flotilla-http-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pki = try ClusterPKI.loadOrCreate(directory: dir)
        let metrics = APIMetrics()
        var logger = Logger(label: "flotilla.http.test")
        logger.logLevel = .warning
        let responder = APIResponder(
            handler: handler, authenticator: TokenAuthenticator(adminToken: adminToken), metrics: metrics, logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = APIHTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, tls: try pki.tlsConfiguration()),
            responder: responder, logger: logger
        ) { port in portContinuation.yield(port) }
        let serverTask = Task { try await server.run() }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.caCertificatePEM.utf8)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw FlotillaError(.internalError, "server did not start") }
            try await body(TLSTestServer(port: port, client: client, metrics: metrics))
        } catch {
            try? await client.shutdown()
            serverTask.cancel()
            _ = await serverTask.result
            throw error
        }
        try await client.shutdown()
        serverTask.cancel()
        _ = await serverTask.result
    }

    /// Sends a request and collects the whole reply.
    func send(
        _ method: HTTPMethod = .GET, _ path: String, token: String? = TLSTestServer.adminToken, body: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return (Int(response.status.code), response.headers, Array(collected.readableBytesView))
    }
}

/// Waits for `operation`, failing after `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw FlotillaError(.timeout, "timed out after \(seconds)s")
        }
        let value = try await group.next()!
        group.cancelAll()
        return value
    }
}
