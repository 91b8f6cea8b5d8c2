import FlotillaCore
import FlotillaEtcdRPC
import NIOCore
import Synchronization
import SwiftProtobuf

/// etcd's KV service (Range, Txn, Compact) and Watch service over its native gRPC API, one
/// HTTP/2 connection per endpoint with every call a stream on it.
///
/// Calls start at the endpoint that answered last. One that was never sent (no connection) goes
/// to the next endpoint; so does a read that finds etcd unavailable, while a write that may have
/// reached etcd does not, since it may have been applied.
final class EtcdClient: Sendable {
    private static let timeout: TimeAmount = .seconds(30)
    private static let maxReplyBytes = 256 * 1024 * 1024

    private let connections: [EtcdConnection]
    /// The endpoint that answered last.
    private let preferred = Mutex(0)

    init(endpoints: [EtcdEndpoint]) {
        connections = endpoints.map { EtcdConnection(endpoint: $0, maxReplyBytes: EtcdClient.maxReplyBytes) }
    }

    /// Closes the connections; calls in flight fail.
    func close() {
        for connection in connections { connection.close() }
    }

    func range(_ request: Etcdserverpb_RangeRequest) async throws -> Etcdserverpb_RangeResponse {
        try await call("/etcdserverpb.KV/Range", request, idempotent: true)
    }

    func txn(_ request: Etcdserverpb_TxnRequest) async throws -> Etcdserverpb_TxnResponse {
        try await call("/etcdserverpb.KV/Txn", request, idempotent: false)
    }

    func compact(_ request: Etcdserverpb_CompactionRequest) async throws {
        let _: Etcdserverpb_CompactionResponse = try await call("/etcdserverpb.KV/Compact", request, idempotent: true)
    }

    /// Opens a watch on the endpoint that answered last, or the next one that can be reached,
    /// and returns its reply messages (serialized `WatchResponse`s).
    func watch(_ request: Etcdserverpb_WatchRequest) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let message: [UInt8] = try request.serializedBytes()
        return try await onFirstAnswering(retrying: { _ in true }) { connection in
            let (replies, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
            try await connection.open(EtcdStream(path: "/etcdserverpb.Watch/Watch", message: message, replies: continuation))
            return replies
        }
    }

    private func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ path: String, _ request: Request, idempotent: Bool
    ) async throws -> Response {
        let message: [UInt8] = try request.serializedBytes()
        let reply = try await onFirstAnswering(retrying: { failure in
            if case .notSent = failure { return true }
            return idempotent && failure.isUnavailable
        }) { connection in
            try await connection.call(path, message, timeout: EtcdClient.timeout)
        }
        do {
            return try Response(serializedBytes: reply)
        } catch {
            throw EtcdErrors.malformed("\(Response.protoMessageName): \(error)")
        }
    }

    /// Runs `body` on the endpoint that answered last and, while it fails in a way `retrying`
    /// accepts, on the next ones; the endpoint that answers becomes the one tried first.
    private func onFirstAnswering<Value>(
        retrying: (EtcdCallFailure) -> Bool, _ body: (EtcdConnection) async throws -> Value
    ) async throws -> Value {
        let first = preferred.withLock { $0 }
        var lastFailure: EtcdCallFailure?
        for attempt in 0..<connections.count {
            let index = (first + attempt) % connections.count
            let value: Value
            do {
                value = try await body(connections[index])
            } catch let failure as EtcdCallFailure {
                guard retrying(failure) else { throw EtcdErrors.error(failure) }
                lastFailure = failure
                continue
            }
            if index != first { preferred.withLock { $0 = index } }
            return value
        }
        throw unreachable(lastFailure)
    }

    /// The error once every endpoint was tried, `lastFailure` being the last one's.
    private func unreachable(_ lastFailure: EtcdCallFailure?) -> FlotillaError {
        if let lastFailure, case .notSent = lastFailure {
            let tried = connections.map(\.endpoint.url).joined(separator: ", ")
            return FlotillaError(.serviceUnavailable, "no etcd endpoint reachable (\(tried)): \(lastFailure)")
        }
        return EtcdErrors.error(lastFailure ?? .notSent("no endpoints"))
    }
}
