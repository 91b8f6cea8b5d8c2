import AsyncHTTPClient
import FlotillaCore
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// HTTP access to etcd's v3 JSON gateway for watches, over one shared keep-alive client,
/// failing over to the next endpoint when one cannot be reached.
final class EtcdGateway: Sendable {
    /// Watches allowed at once per endpoint (each holds one connection for its life).
    static let connectionsPerEndpoint = 512

    let endpoints: [EtcdEndpoint]
    let client: HTTPClient
    /// The endpoint that answered last; requests start there.
    private let preferred = Mutex(0)

    init(endpoints: [EtcdEndpoint]) {
        self.endpoints = endpoints
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: EtcdGateway.connectionsPerEndpoint)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(3))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// POSTs `body` to `path` and returns the open response for streaming (watch), with the
    /// endpoint that answered.
    func open(_ path: String, _ body: JSON) async throws -> (response: HTTPClientResponse, endpoint: Int) {
        let first = preferred.withLock { $0 }
        let payload = body.serialized()
        var lastError: (any Error)?
        for attempt in 0..<endpoints.count {
            let index = (first + attempt) % endpoints.count
            var request = HTTPClientRequest(url: endpoints[index].url + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: payload))
            do {
                let response = try await client.execute(request, deadline: .distantFuture)
                if index != first { preferred.withLock { $0 = index } }
                return (response, index)
            } catch where EtcdGateway.isConnectFailure(error) {
                lastError = error
            }
        }
        throw FlotillaError(
            .serviceUnavailable, "no etcd endpoint reachable (\(endpoints.map(\.url).joined(separator: ", "))): \(lastError.map { "\($0)" } ?? "")")
    }

    /// Whether `error` means the request never reached the server, so another endpoint may
    /// safely be tried even for a write.
    static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .connectTimeout }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError {
            return [ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
        }
        return false
    }

    /// The ``FlotillaError`` for an etcd error reply (`{"error", "message", "code"}`).
    static func error(from json: JSON, status: UInt) -> FlotillaError {
        let message = json["message"].string ?? json["error"].string ?? json.jsonText
        return EtcdErrors.error(message: message, unavailable: status == 503 || json["code"].int == 14)
    }
}
