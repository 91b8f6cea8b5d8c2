import FlotillaAPI
import FlotillaCore
import Foundation

/// A tiny API server for one namespaced resource (`/api/v1/.../configmaps`), for informer unit
/// tests: list with paging, watch with replay from a resourceVersion, and a compactable history
/// so that a watch from an old version gets a 410.
final class FakeAPIServer: APIHandler, @unchecked Sendable {
    private struct Change { var revision: Int64; var type: String; var object: JSON }

    private let lock = NSLock()
    private var objects: [String: JSON] = [:]
    private var revision: Int64 = 100
    private var history: [Change] = []
    private var oldestWatchable: Int64 = 0
    private var watchers: [UUID: AsyncThrowingStream<[UInt8], any Error>.Continuation] = [:]
    /// Whether a too-old watch gets an ERROR event in a 200 stream (else an HTTP 410).
    var expiredAsErrorEvent = true
    private(set) var listRequests = 0
    private(set) var watchRequests: [String] = []
    /// Requests answered 500 before normal service resumes.
    var failNextRequests = 0

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    var currentRevision: Int64 { locked { revision } }
    var openWatches: Int { locked { watchers.count } }
    var listCount: Int { locked { listRequests } }
    var watchResourceVersions: [String] { locked { watchRequests } }

    // MARK: - Changing state

    /// Creates or replaces an object; `announce: false` keeps it from live watches (as if the
    /// events were lost), but it stays in the history.
    @discardableResult
    func put(_ name: String, namespace: String = "default", labels: [String: String] = [:], data: String = "", announce: Bool = true) -> JSON {
        locked {
            revision += 1
            let key = namespace + "/" + name
            let type = objects[key] == nil ? "ADDED" : "MODIFIED"
            var labelObject = JSONObject()
            for (k, v) in labels.sorted(by: { $0.key < $1.key }) { labelObject[k] = .string(v) }
            let object: JSON = [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(String(revision)),
                    "labels": .object(labelObject),
                ],
                "data": ["value": .string(data)],
            ]
            objects[key] = object
            record(Change(revision: revision, type: type, object: object), announce: announce)
            return object
        }
    }

    func delete(_ name: String, namespace: String = "default", announce: Bool = true) {
        locked {
            guard var object = objects.removeValue(forKey: namespace + "/" + name) else { return }
            revision += 1
            object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
            record(Change(revision: revision, type: "DELETED", object: object), announce: announce)
        }
    }

    /// Sends a bookmark at the current revision to every open watch.
    func bookmark() {
        locked {
            let event: JSON = ["type": "BOOKMARK", "object": ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["resourceVersion": .string(String(revision))]]]
            for watcher in watchers.values { watcher.yield(event.serialized() + [0x0A]) }
        }
    }

    /// Forgets all history: watches from any earlier revision now get a 410.
    func compact() {
        locked {
            history = []
            oldestWatchable = revision
        }
    }

    /// Ends every open watch normally, as a server does at `timeoutSeconds`.
    func endWatches() {
        let open = locked { () -> [AsyncThrowingStream<[UInt8], any Error>.Continuation] in
            defer { watchers = [:] }
            return Array(watchers.values)
        }
        for watcher in open { watcher.finish() }
    }

    private func record(_ change: Change, announce: Bool) {
        history.append(change)
        guard announce else { return }
        let line = Self.eventLine(change.type, change.object)
        // Chunks cut mid-line, as a network would.
        let cut = line.count / 2
        for watcher in watchers.values {
            watcher.yield(Array(line[..<cut]))
            watcher.yield(Array(line[cut...]))
        }
    }

    private static func eventLine(_ type: String, _ object: JSON) -> [UInt8] {
        (["type": .string(type), "object": object] as JSON).serialized() + [0x0A]
    }

    // MARK: - Serving

    func handle(_ request: APIRequest) async -> APIResponse {
        let failing = locked { () -> Bool in
            guard failNextRequests > 0 else { return false }
            failNextRequests -= 1
            return true
        }
        if failing {
            return Self.reply(500, FlotillaError(.internalError, "injected failure").status)
        }
        guard request.method == "GET", request.path == "/api/v1/configmaps" || request.path == "/api/v1/namespaces/default/configmaps" else {
            return Self.reply(404, FlotillaError(.notFound, "not served here").status)
        }
        if request.queryValue("watch") == "true" {
            return watch(request)
        }
        return list(request)
    }

    private func list(_ request: APIRequest) -> APIResponse {
        locked {
            listRequests += 1
            let sorted = objects.keys.sorted().compactMap { objects[$0] }.map { object -> JSON in
                // Like Kubernetes, list items leave out kind and apiVersion.
                var item = object
                item["kind"] = nil
                item["apiVersion"] = nil
                return item
            }
            let limit = Int(request.queryValue("limit") ?? "") ?? 0
            let offset = Int(request.queryValue("continue") ?? "") ?? 0
            let end = limit > 0 ? min(sorted.count, offset + limit) : sorted.count
            var metadata: JSONObject = ["resourceVersion": .string(String(revision))]
            if end < sorted.count { metadata["continue"] = .string(String(end)) }
            return Self.reply(200, [
                "kind": "ConfigMapList", "apiVersion": "v1", "metadata": .object(metadata),
                "items": .array(Array(sorted[min(offset, sorted.count)..<end])),
            ])
        }
    }

    private func watch(_ request: APIRequest) -> APIResponse {
        let requested = request.queryValue("resourceVersion") ?? ""
        let start = Int64(requested) ?? 0
        return locked {
            watchRequests.append(requested)
            if start < oldestWatchable {
                let error = FlotillaError.expired("too old resource version: \(start) (\(oldestWatchable))")
                guard expiredAsErrorEvent else { return Self.reply(410, error.status) }
                let line = Self.eventLine("ERROR", error.status)
                return APIResponse(status: 200, body: .stream(AsyncThrowingStream { c in c.yield(line); c.finish() }))
            }
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
            for change in history where change.revision > start {
                continuation.yield(Self.eventLine(change.type, change.object))
            }
            let id = UUID()
            watchers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                _ = self.locked { self.watchers.removeValue(forKey: id) }
            }
            return APIResponse(status: 200, body: .stream(stream))
        }
    }

    private static func reply(_ status: Int, _ body: JSON) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(body.serialized()))
    }
}
