import AsyncHTTPClient
import FlotillaCore
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// HTTP access to etcd's v3 JSON gateway over one shared keep-alive client, failing over to the
/// next endpoint when one cannot be reached.
final class EtcdGateway: Sendable {
    /// Requests allowed at once per endpoint (each watch holds one connection for its life).
    static let connectionsPerEndpoint = 512
    private static let requestTimeout: TimeAmount = .seconds(30)
    private static let maxResponseBytes = 256 * 1024 * 1024

    let endpoints: [String]
    let client: HTTPClient
    /// The endpoint that answered last; requests start there.
    private let preferred = Mutex(0)

    init(endpoints: [String]) throws {
        let cleaned = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
        guard !cleaned.isEmpty else { throw FlotillaError(.invalid, "no etcd endpoints given") }
        for endpoint in cleaned where URL(string: endpoint)?.host == nil {
            throw FlotillaError(.invalid, "etcd endpoint \"\(endpoint)\" is not a URL like http://127.0.0.1:2379")
        }
        self.endpoints = cleaned
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

    /// POSTs `body` to `path` (e.g. `/v3/kv/range`) and returns the decoded reply; etcd's errors
    /// become ``FlotillaError``s. Tries each endpoint in turn while connections fail.
    func call(_ path: String, _ body: JSON) async throws -> JSON {
        let response = try await send(path, body, deadline: .now() + EtcdGateway.requestTimeout)
        let bytes = try await response.response.body.collect(upTo: EtcdGateway.maxResponseBytes)
        let json = try JSONParser.parse(bytes.readableBytesView)
        guard response.response.status == .ok else { throw EtcdGateway.error(from: json, status: response.response.status.code) }
        return json
    }

    /// POSTs `body` to `path` and returns the open response for streaming (watch), with the
    /// endpoint that answered.
    func open(_ path: String, _ body: JSON) async throws -> (response: HTTPClientResponse, endpoint: Int) {
        try await send(path, body, deadline: .distantFuture)
    }

    private func send(_ path: String, _ body: JSON, deadline: NIODeadline) async throws -> (response: HTTPClientResponse, endpoint: Int) {
        let first = preferred.withLock { $0 }
        let payload = body.serialized()
        var lastError: (any Error)?
        for attempt in 0..<endpoints.count {
            let index = (first + attempt) % endpoints.count
            var request = HTTPClientRequest(url: endpoints[index] + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: payload))
            do {
                let response = try await client.execute(request, deadline: deadline)
                if index != first { preferred.withLock { $0 = index } }
                return (response, index)
            } catch where EtcdGateway.isConnectFailure(error) {
                lastError = error
            }
        }
        throw FlotillaError(
            .serviceUnavailable, "no etcd endpoint reachable (\(endpoints.joined(separator: ", "))): \(lastError.map { "\($0)" } ?? "")")
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
        if message.contains("required revision has been compacted") {
            return .expired("too old resource version (etcd: \(message))")
        }
        if message.contains("required revision is a future revision") {
            return FlotillaError(.timeout, "Too large resource version (etcd: \(message))")
        }
        let code: FlotillaError.Code = status == 503 || json["code"].int == 14 ? .serviceUnavailable : .internalError
        return FlotillaError(code, "etcd: \(message)")
    }
}
