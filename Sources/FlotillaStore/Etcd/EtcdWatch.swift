import AsyncHTTPClient
import FlotillaCore
import NIOCore

/// One etcd watch: a streaming POST to `/v3/watch` whose newline-delimited JSON results become
/// ``WatchEvent``s. A broken connection is reopened (on the next endpoint if need be) from the
/// last delivered revision; compaction past that revision ends the watch with `.expired`.
struct EtcdWatch: Sendable {
    private static let maxReconnects = 5

    let gateway: EtcdGateway
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

    /// Opens the watch and forwards its events until the connection ends; `last` follows the
    /// newest delivered revision.
    private func stream(from last: inout Int64, onProgress: () -> Void) async throws {
        var create: JSONObject = [
            "key": EtcdWire.base64(range.start),
            "range_end": EtcdWire.base64(range.end ?? [0]),
            "prev_kv": true,
        ]
        create["start_revision"] = EtcdWire.int64(last + 1)
        let (response, _) = try await gateway.open("/v3/watch", ["create_request": .object(create)])
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            let json = (try? JSONParser.parse(body.readableBytesView)) ?? .string(String(buffer: body))
            throw Final(error: EtcdGateway.error(from: json, status: response.status.code))
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending.append(contentsOf: chunk.readableBytesView)
            var lineStart = pending.startIndex
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[lineStart..<newline]
                lineStart = newline + 1
                if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
                try handle(line, last: &last)
                onProgress()
            }
            pending.removeSubrange(..<lineStart)
        }
    }

    /// Handles one message of the stream: `{"result": {...}}` or `{"error": {...}}`.
    private func handle(_ line: ArraySlice<UInt8>, last: inout Int64) throws {
        let message: JSON
        do {
            message = try JSONParser.parse(line)
        } catch {
            throw Final(error: EtcdWire.malformed("watch message: \(error)"))
        }
        if !message["error"].isNull {
            let text = message[path: ["error", "message"]].string ?? message["error"].jsonText
            throw FlotillaError(.serviceUnavailable, "etcd watch error: \(text)")
        }
        let result = message["result"]
        if result["canceled"].bool == true {
            let compacted = (try? EtcdWire.int64(result["compact_revision"])) ?? 0
            if compacted > 0 { throw Final(error: StoreErrors.compacted(last, compacted: compacted)) }
            let reason = result["cancel_reason"].string ?? "no reason given"
            throw Final(error: FlotillaError(.serviceUnavailable, "etcd canceled the watch: \(reason)"))
        }
        for raw in result["events"].array ?? [] {
            let event = try decode(raw)
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

    private func decode(_ raw: JSON) throws -> WatchEvent {
        let kv = try EtcdWire.keyValue(raw["kv"])
        let previous = raw["prev_kv"].isNull ? nil : try EtcdWire.keyValue(raw["prev_kv"])
        if raw["type"].string == "DELETE" {
            let gone = previous ?? KeyValue(key: kv.key, value: [], createRevision: 0, modRevision: 0)
            return .delete(previous: gone, revision: kv.modRevision)
        }
        return .put(kv: kv, previous: kv.createRevision == kv.modRevision ? nil : previous)
    }
}
