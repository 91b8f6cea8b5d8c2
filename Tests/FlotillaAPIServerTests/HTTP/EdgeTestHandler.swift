import FlotillaAPI
import FlotillaCore

@testable import FlotillaAPIServer

/// A stand-in for the REST API in tests of the HTTP edge alone: discovery from
/// ``NonResourceRoutes``, `/echo` (describes the request it got), `/stream` (one chunk, then a
/// second when ``openGate()`` is called) and any `?watch=true` (one chunk, then nothing until
/// cancelled).
final class EdgeTestHandler: APIHandler {
    let routes = NonResourceRoutes(resources: DiscoveryTestCatalog.catalog)
    private let gate: AsyncStream<Void>
    private let gateContinuation: AsyncStream<Void>.Continuation
    /// Yields once each time a streamed reply's producer is terminated.
    let terminations: AsyncStream<String>
    private let terminationContinuation: AsyncStream<String>.Continuation

    init() {
        (gate, gateContinuation) = AsyncStream<Void>.makeStream()
        (terminations, terminationContinuation) = AsyncStream<String>.makeStream()
    }

    func openGate() { gateContinuation.yield() }

    func handle(_ request: APIRequest) async -> APIResponse {
        if let reply = await routes.handle(request) { return reply }
        if request.queryValue("watch") == "true" {
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let terminations = terminationContinuation
            continuation.onTermination = { _ in terminations.yield("watch") }
            continuation.yield(Array("{\"type\":\"ADDED\"}\n".utf8))
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream(stream))
        }
        switch request.path {
        case "/echo":
            let echo: JSON = .object([
                "method": .string(request.method),
                "path": .string(request.path),
                "query": .array(request.query.map { .array([.string($0.name), .string($0.value)]) }),
                "user": request.user.map { .string($0) } ?? .null,
                "bodyLength": .int(Int64(request.body.count)),
                "headerNamesLowercase": .bool(request.headers.allSatisfy { $0.name == $0.name.lowercased() }),
                "contentType": request.header("content-type").map { .string($0) } ?? .null,
            ])
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(echo.serialized()))
        case "/stream":
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let terminations = terminationContinuation
            continuation.onTermination = { _ in terminations.yield("/stream") }
            continuation.yield(Array("first\n".utf8))
            let gate = self.gate
            Task {
                for await _ in gate { break }
                continuation.yield(Array("second\n".utf8))
                continuation.finish()
            }
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream(stream))
        default:
            return APIResponse(status: 404, headers: [("Content-Type", "application/json")], body: .bytes(FlotillaError(.notFound, "nothing here").status.serialized()))
        }
    }
}
