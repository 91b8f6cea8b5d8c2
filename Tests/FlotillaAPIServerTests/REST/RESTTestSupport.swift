import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// A reply as a test sees it.
struct TestReply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var json: JSON { (try? JSONParser.parse(body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var warnings: [String] { headers.filter { $0.name.lowercased() == "warning" }.map(\.value) }
}

/// `value` with every object's members in name order, so that two serializations compare.
func normalized(_ value: JSON) -> JSON {
    switch value {
    case .object(let members):
        return .object(JSONObject(uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map { ($0.key, normalized($0.value)) }))
    case .array(let items):
        return .array(items.map(normalized))
    default:
        return value
    }
}

/// An API server over a fresh store: in memory, or SQLite in a temporary directory.
final class TestServer: Sendable {
    /// The store backend the REST tests run against.
    static let useSQLite = ProcessInfo.processInfo.environment["FLOTILLA_REST_TEST_STORE"] == "sqlite"

    let server: APIServer
    let store: any Store
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-rest-\(UUID().uuidString)")
        if Self.useSQLite {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        } else {
            store = MemoryStore()
        }
        server = APIServer(store: store)
    }

    /// A server over `store` (shared with other servers, or reopened after a "restart") with
    /// the address plan `network`.
    init(store: any Store, network: ClusterNetwork = .standard, repairGrace: Duration = .seconds(60)) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-rest-\(UUID().uuidString)")
        self.store = store
        server = APIServer(store: store, network: network, allocationRepairGrace: repairGrace)
    }

    /// Runs `body` with a fresh server and closes it afterwards.
    static func with<R>(_ body: (TestServer) async throws -> R) async throws -> R {
        let s = try TestServer()
        await s.server.ready()
        do {
            let result = try await body(s)
            await s.close()
            return result
        } catch {
            await s.close()
            throw error
        }
    }

    func close() async {
        server.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func revision() async throws -> Int64 { try await store.currentRevision() }

    /// Sends a request and collects a complete (non-streamed) reply.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil, raw: String? = nil,
        contentType: String? = nil, accept: String? = nil
    ) async -> TestReply {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "content-type", value: contentType)) }
        if let accept { headers.append((name: "accept", value: accept)) }
        let bytes = raw.map { Array($0.utf8) } ?? body?.serialized() ?? []
        let request = APIRequest(
            method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: headers, body: bytes, user: "admin")
        let response = await server.handle(request)
        switch response.body {
        case .bytes(let b):
            return TestReply(status: response.status, headers: response.headers, body: b)
        case .stream, .events, .object:
            Issue.record("unexpected streamed or object reply for \(method) \(path)")
            return TestReply(status: response.status, headers: response.headers, body: [])
        }
    }

    /// Sends a request as an in-process caller does: the body as an object, and objects taken
    /// in reply. Returns the status, the reply as JSON, and whether it came as an object.
    func sendObject(
        _ method: String, _ path: String, body: JSON? = nil, contentType: String? = nil, accept: String? = nil
    ) async -> (status: Int, json: JSON, asObject: Bool) {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "content-type", value: contentType)) }
        if let accept { headers.append((name: "accept", value: accept)) }
        var request = APIRequest(method: method, path: path, headers: headers, object: body, user: "admin")
        request.acceptsObjects = true
        let response = await server.handle(request)
        switch response.body {
        case .object(let object):
            return (response.status, object, true)
        case .bytes(let b):
            return (response.status, (try? JSONParser.parse(b)) ?? .null, false)
        case .stream, .events:
            Issue.record("unexpected streamed reply for \(method) \(path)")
            return (response.status, .null, false)
        }
    }

    /// Starts a watch and returns its reply status and a reader of its events: JSON lines, or
    /// with `objects` the event objects an in-process caller gets.
    func watch(_ path: String, query: [(String, String)], accept: String? = nil, objects: Bool = false) async -> (Int, WatchReader) {
        var headers: [(name: String, value: String)] = []
        if let accept { headers.append((name: "accept", value: accept)) }
        var request = APIRequest(method: "GET", path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: headers, user: "admin")
        request.acceptsObjects = objects
        let response = await server.handle(request)
        switch response.body {
        case .stream(let stream) where !objects:
            return (response.status, WatchReader(stream))
        case .events(let events) where objects:
            return (response.status, WatchReader(events: events))
        case .bytes(let b):
            Issue.record("watch not streamed: \(String(decoding: b, as: UTF8.self))")
        default:
            Issue.record("watch events \(objects ? "as lines, not objects" : "as objects, not lines")")
        }
        return (response.status, WatchReader(AsyncThrowingStream { $0.finish() }))
    }
}

/// Reads watch events (one JSON object per line) from a streamed reply.
final class WatchReader: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.Iterator?
    private var events: AsyncThrowingStream<APIWatchEvent, any Error>.Iterator?
    private var buffer: [UInt8] = []

    init(_ stream: AsyncThrowingStream<[UInt8], any Error>) { iterator = stream.makeAsyncIterator() }

    /// Reads event objects, each given as `{"type": …, "object": …}`.
    init(events stream: AsyncThrowingStream<APIWatchEvent, any Error>) { events = stream.makeAsyncIterator() }

    /// The next event, or nil at the end of the stream.
    func next() async throws -> JSON? {
        if events != nil {
            guard let event = try await events?.next() else { return nil }
            return ["type": .string(event.type), "object": event.object]
        }
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return try JSONParser.parse(line)
            }
            guard let chunk = try await iterator?.next() else { return nil }
            buffer += chunk
        }
    }

    /// The next event, failing the test when none arrives within `seconds`.
    func next(within seconds: Double) async throws -> JSON? {
        try await withThrowingTaskGroup(of: JSON?.self) { group in
            group.addTask { try await self.next() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw CancellationError()
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// Object builders for the tests.
enum Objects {
    static func configMap(_ name: String, namespace: String? = nil, labels: [String: String] = [:], data: [String: String] = ["a": "1"]) -> JSON {
        var meta: JSONObject = ["name": .string(name)]
        if let namespace { meta["namespace"] = .string(namespace) }
        if !labels.isEmpty { meta["labels"] = .object(JSONObject(uniqueKeysWithValues: labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })) }
        return [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(meta),
            "data": .object(JSONObject(uniqueKeysWithValues: data.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })),
        ]
    }

    static func pod(_ name: String, labels: [String: String] = [:], nodeName: String? = nil) -> JSON {
        var spec: JSONObject = ["containers": [["name": "main", "image": "busybox:1.36"]]]
        if let nodeName { spec["nodeName"] = .string(nodeName) }
        var meta: JSONObject = ["name": .string(name)]
        if !labels.isEmpty { meta["labels"] = .object(JSONObject(uniqueKeysWithValues: labels.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(meta), "spec": .object(spec)]
    }

    static func deployment(_ name: String, replicas: Int64 = 1) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "web", "image": "nginx:1.25"]]],
                ],
            ],
        ]
    }

    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let pods = "/api/v1/namespaces/default/pods"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
}
