import FlotillaCore
import FlotillaEtcdRPC
import Foundation

/// One etcd watch: a gRPC Watch stream on the store's connection whose replies become
/// ``WatchEvent``s. A broken stream is reopened (on the next endpoint if need be) from the last
/// delivered revision; compaction past that revision ends the watch with `.expired`.
struct EtcdWatch: Sendable {
    private static let maxReconnects = 5

    let client: EtcdClient
    let range: KeyRange
    /// The revision after which events are wanted.
    let after: Int64
    let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation

    /// An error that ends the watch instead of reconnecting.
    private struct Final: Error {
        var error: (any Error)?
    }

    func run() async {
        var last = after
        var failures = 0
        while !Task.isCancelled {
            do {
                try await stream(from: &last, onProgress: { failures = 0 })
                throw FlotillaError(.serviceUnavailable, "etcd ended the watch")
            } catch let final as Final {
                if let error = final.error { continuation.finish(throwing: error) } else { continuation.finish() }
                return
            } catch {
                if Task.isCancelled { break }
                failures += 1
                if failures > EtcdWatch.maxReconnects {
                    continuation.finish(throwing: FlotillaError(.serviceUnavailable, "etcd watch failed: \(error)"))
                    return
                }
                try? await Task.sleep(for: .milliseconds(100 * failures))
            }
        }
        continuation.finish()
    }

    /// Opens the watch and forwards its events until the stream ends; `last` follows the newest
    /// delivered revision.
    private func stream(from last: inout Int64, onProgress: () -> Void) async throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = Data(range.start)
        // etcd reads "\0" as "to the end of the key space".
        create.rangeEnd = Data(range.end ?? [0])
        create.startRevision = last + 1
        create.prevKv = true
        var request = Etcdserverpb_WatchRequest()
        request.createRequest = create
        for try await reply in try await client.watch(request) {
            let response: Etcdserverpb_WatchResponse
            do {
                response = try Etcdserverpb_WatchResponse(serializedBytes: reply)
            } catch {
                throw Final(error: EtcdErrors.malformed("watch reply: \(error)"))
            }
            try handle(response, last: &last)
            onProgress()
        }
    }

    /// Forwards one reply's events, or ends the watch if etcd canceled it.
    private func handle(_ response: Etcdserverpb_WatchResponse, last: inout Int64) throws {
        if response.canceled || response.compactRevision > 0 {
            if response.compactRevision > 0 { throw Final(error: StoreErrors.compacted(last, compacted: response.compactRevision)) }
            let reason = response.cancelReason.isEmpty ? "no reason given" : response.cancelReason
            throw Final(error: FlotillaError(.serviceUnavailable, "etcd canceled the watch: \(reason)"))
        }
        for raw in response.events {
            let event = EtcdWatch.event(raw)
            guard event.revision > last else { continue }
            switch continuation.yield(event) {
            case .enqueued:
                last = event.revision
            case .dropped:
                throw Final(error: FlotillaError.expired("the watch fell too far behind; relist and watch again"))
            case .terminated:
                throw Final(error: nil)
            @unknown default:
                throw Final(error: nil)
            }
        }
    }

    /// The store's event for etcd's: a delete carries the deleted value, a put the value it
    /// replaced (none for a create).
    static func event(_ raw: Mvccpb_Event) -> WatchEvent {
        let kv = EtcdMessages.keyValue(raw.kv)
        let previous = raw.hasPrevKv ? EtcdMessages.keyValue(raw.prevKv) : nil
        if raw.type == .delete {
            let gone = previous ?? KeyValue(key: kv.key, value: [], createRevision: 0, modRevision: 0)
            return .delete(previous: gone, revision: kv.modRevision)
        }
        return .put(kv: kv, previous: kv.createRevision == kv.modRevision ? nil : previous)
    }
}
