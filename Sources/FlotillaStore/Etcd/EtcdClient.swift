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
        let first = preferred.withLock { $0 }
        var lastFailure: EtcdCallFailure?
        for attempt in 0..<connections.count {
            let index = (first + attempt) % connections.count
            let (replies, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
            do {
                try await connections[index].open(EtcdStream(path: "/etcdserverpb.Watch/Watch", message: message, replies: continuation))
            } catch let failure as EtcdCallFailure {
                lastFailure = failure
                continue
            }
            if index != first { preferred.withLock { $0 = index } }
            return replies
        }
        throw unreachable(lastFailure)
    }

    private func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ path: String, _ request: Request, idempotent: Bool
    ) async throws -> Response {
        let message: [UInt8] = try request.serializedBytes()
        let first = preferred.withLock { $0 }
        var lastFailure: EtcdCallFailure?
        for attempt in 0..<connections.count {
            let index = (first + attempt) % connections.count
            let reply: [UInt8]
            do {
                reply = try await connections[index].call(path, message, timeout: EtcdClient.timeout)
            } catch let failure as EtcdCallFailure {
                guard case .notSent = failure else {
                    if idempotent, failure.isUnavailable {
                        lastFailure = failure
                        continue
                    }
                    throw EtcdErrors.error(failure)
                }
                lastFailure = failure
                continue
            }
            if index != first { preferred.withLock { $0 = index } }
            do {
                return try Response(serializedBytes: reply)
            } catch {
                throw EtcdErrors.malformed("\(Response.protoMessageName): \(error)")
            }
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
