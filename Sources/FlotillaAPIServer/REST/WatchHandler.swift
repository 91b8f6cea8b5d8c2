import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation

extension APIServer {
    /// `GET ...?watch=true`: a stream of JSON lines `{"type": ..., "object": ...}`.
    ///
    /// Without a resourceVersion (or with "0") the current objects come first as ADDED events;
    /// then every change after the starting revision. Selectors filter, and objects that move
    /// in or out of the selection arrive as ADDED or DELETED. A compacted starting revision
    /// gives one ERROR event (410 Expired). The stream ends at `timeoutSeconds` (default: a
    /// random 30–60 minutes) or when the client goes away.
    func watch(_ path: ResourcePath, _ request: APIRequest, name: String? = nil) async throws -> APIResponse {
        let resource = path.resource
        let filter = try ObjectFilter(request, resource: resource, name: name)
        let encoder = try WatchEventEncoder(resource: resource, request: request)
        let bookmarks = try queryFlag(request, "allowWatchBookmarks")
        let timeout: Duration
        if let seconds = try queryInt(request, "timeoutSeconds"), seconds > 0 {
            timeout = .seconds(seconds)
        } else {
            timeout = .seconds(Int.random(in: 1800..<3600))
        }
        let prefix = StorageKeys.prefix(resource, namespace: path.namespace)
        let versionText = request.queryValue("resourceVersion") ?? ""

        var initial: [KeyValue] = []
        let start: Int64
        if versionText.isEmpty || versionText == "0" {
            var after: String?
            var revision: Int64?
            while true {
                let page = try await store.list(prefix: prefix, after: after, limit: 1000, revision: revision)
                revision = page.revision
                initial += page.items
                guard page.more, let last = page.items.last else { break }
                after = last.key
            }
            start = revision ?? 0
        } else {
            guard let requested = Int64(versionText), requested > 0 else {
                throw FlotillaError(.badRequest, "resourceVersion: Invalid value: \"\(versionText)\": must be a non-negative integer")
            }
            start = requested
        }

        var events: AsyncThrowingStream<WatchEvent, any Error>?
        var failure: FlotillaError?
        do {
            events = try await store.watch(prefix: prefix, afterRevision: start)
        } catch let error as FlotillaError where error.code == .expired {
            failure = FlotillaError(.expired, "too old resource version: \(start) (\((try? await store.compactedRevision()) ?? 0))")
        }

        let output: WatchOutput
        let body: APIResponse.Body
        if request.acceptsObjects, case .object = encoder.format {
            let (stream, continuation) = AsyncThrowingStream<APIWatchEvent, any Error>.makeStream()
            output = .objects(continuation, resource, parsedObjects)
            body = .events(stream)
        } else {
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            output = .lines(continuation, encoder)
            body = .stream(stream)
        }
        let session = WatchSession(
            filter: filter, output: output, bookmarks: bookmarks, timeout: timeout, start: start,
            memo: parsedObjects, compacted: { [store] in (try? await store.compactedRevision()) ?? 0 })
        let producer = Task {
            await session.run(initial: initial, events: events, failure: failure)
        }
        output.onAbandoned { producer.cancel() }
        return APIResponse(status: 200, headers: [Replies.contentType], body: body)
    }
}

/// Turns objects into the bytes of watch events, in the reply format the client asked for.
struct WatchEventEncoder: Sendable {
    let resource: ResourceDefinition
    let format: ResponseFormat
    /// The Table renderer, in Table mode.
    let renderer: TableRenderer?

    init(resource: ResourceDefinition, request: APIRequest) throws {
        self.resource = resource
        self.format = ResponseFormat.negotiate(request)
        if case .table(let v) = format {
            renderer = try TableRenderer(resource: resource, version: v, request: request)
        } else {
            renderer = nil
        }
    }

    /// One event line for an object given as stored bytes at `revision` (parsed when known),
    /// in the version of `resource`.
    func event(_ type: String, stored: [UInt8], revision: Int64, parsed: JSON?) throws -> [UInt8] {
        var out = Array("{\"type\":\"\(type)\",\"object\":".utf8)
        switch format {
        case .object:
            out.append(contentsOf: try VersionConversion.servedBytes(stored, revision: revision, as: resource))
        case .table:
            let object = try servedObject(stored, revision: revision, parsed: parsed)
            if var renderer {
                renderer.now = Date()
                renderer.table([object], resourceVersion: String(revision)).write(into: &out)
            }
        case .partialMetadata(let v):
            TableRenderer.partialMetadata(try servedObject(stored, revision: revision, parsed: parsed), version: v).write(into: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    private func servedObject(_ stored: [UInt8], revision: Int64, parsed: JSON?) throws -> JSON {
        let object = try parsed ?? JSONParser.parse(stored)
        return VersionConversion.served(StoredObject.canonical(object, resourceVersion: revision), as: resource)
    }

    /// A BOOKMARK event: only kind, apiVersion and the revision the client has seen.
    func bookmark(revision: Int64) -> [UInt8] {
        let event: JSON = ["type": "BOOKMARK", "object": Self.bookmarkObject(resource: resource, revision: revision)]
        return event.serialized() + [0x0A]
    }

    /// The object of a BOOKMARK event.
    static func bookmarkObject(resource: ResourceDefinition, revision: Int64) -> JSON {
        [
            "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
            "metadata": ["resourceVersion": .string(String(revision))],
        ]
    }

    /// An ERROR event carrying a `Status`.
    func error(_ error: FlotillaError) -> [UInt8] {
        let event: JSON = ["type": "ERROR", "object": error.status]
        return event.serialized() + [0x0A]
    }
}

/// One client's watch: sends the initial events, then the store's changes, bookmarks and the end.
struct WatchSession: Sendable {
    let filter: ObjectFilter
    let output: WatchOutput
    let bookmarks: Bool
    let timeout: Duration
    let start: Int64
    /// Parsed object versions shared with the other watches.
    let memo: ParsedObjectMemo
    let compacted: @Sendable () async -> Int64

    /// How often a bookmark is sent when the client asked for them.
    static let bookmarkInterval: Duration = .seconds(60)

    func run(initial: [KeyValue], events: AsyncThrowingStream<WatchEvent, any Error>?, failure: FlotillaError?) async {
        defer { output.finish() }
        if let failure {
            output.error(failure)
            return
        }
        guard let events else { return }
        let seen = Locked(start)
        do {
            for kv in initial {
                var parsed: JSON?
                if !filter.isEmpty {
                    let object = try StoredObject.decode(kv)
                    guard filter.matches(object) else { continue }
                    parsed = object
                }
                try output.event("ADDED", kv, revision: kv.modRevision, parsed: parsed, shared: false)
            }
        } catch {
            output.error(APIServer.flotillaError(error))
            return
        }
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await forward(events, seen: seen)
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return !Task.isCancelled
            }
            if bookmarks {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.bookmarkInterval)
                        if Task.isCancelled { break }
                        output.bookmark(revision: seen.withLock { $0 })
                    }
                    return false
                }
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if timedOut, bookmarks { output.bookmark(revision: seen.withLock { $0 }) }
    }

    /// Sends the store's changes as watch events until the store stream ends or fails.
    private func forward(_ events: AsyncThrowingStream<WatchEvent, any Error>, seen: Locked<Int64>) async {
        do {
            for try await event in events {
                try send(event)
                seen.withLock { $0 = event.revision }
            }
        } catch let error as FlotillaError where error.code == .expired {
            let since = seen.withLock { $0 }
            output.error(FlotillaError(.expired, "too old resource version: \(since) (\(await compacted()))"))
        } catch {
            if !Task.isCancelled { output.error(APIServer.flotillaError(error)) }
        }
    }

    /// Sends the event of a store change, unless the selection does not see it.
    private func send(_ event: WatchEvent) throws {
        switch event {
        case .put(let kv, let previous):
            if filter.isEmpty {
                try output.event(previous == nil ? "ADDED" : "MODIFIED", kv, revision: kv.modRevision, parsed: nil, shared: true)
                return
            }
            let object = try memo.object(key: kv.key, bytes: kv.value)
            let now = filter.matches(object)
            let before = try previous.map { filter.matches(try memo.object(key: $0.key, bytes: $0.value)) } ?? false
            switch (before, now) {
            case (true, true): try output.event("MODIFIED", kv, revision: kv.modRevision, parsed: object, shared: true)
            case (false, true): try output.event("ADDED", kv, revision: kv.modRevision, parsed: object, shared: true)
            case (true, false): try output.event("DELETED", kv, revision: kv.modRevision, parsed: object, shared: true)
            case (false, false): return
            }
        case .delete(let previous, let revision):
            var parsed: JSON?
            if !filter.isEmpty {
                let object = try memo.object(key: previous.key, bytes: previous.value)
                guard filter.matches(object) else { return }
                parsed = object
            }
            try output.event("DELETED", previous, revision: revision, parsed: parsed, shared: true)
        }
    }
}
