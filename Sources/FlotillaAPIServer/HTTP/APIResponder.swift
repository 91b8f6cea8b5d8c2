import FlotillaAPI
import FlotillaCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP edge of the API: authenticates each request, turns it into an ``APIRequest``, asks the
/// ``APIHandler``, and writes the ``APIResponse`` back (streams in batches, ending the
/// stream's producer when the client goes away or the server shuts down).
///
/// It also adds `Audit-Id` to every reply, serves `/metrics`, records request metrics and logs
/// one line per request.
public struct APIResponder: HTTPResponder, CustomStringConvertible {
    public typealias Context = BasicRequestContext

    /// The largest request body accepted, as Kubernetes has it (3 MiB).
    public static let maxBodySize = 3 * 1024 * 1024

    let handler: any APIHandler
    let authentication: Authentication
    let metrics: APIMetrics
    let logger: Logger
    let requestLogLevel: Logger.Level

    /// - Parameters:
    ///   - requestLogLevel: the level of the one-line-per-request log.
    public init(
        handler: any APIHandler, authenticator: TokenAuthenticator, metrics: APIMetrics, logger: Logger,
        requestLogLevel: Logger.Level = .info
    ) {
        self.handler = handler
        self.authentication = .bearerToken(authenticator)
        self.metrics = metrics
        self.logger = logger
        self.requestLogLevel = requestLogLevel
    }

    /// A responder behind a TLS listener that already verified each client's certificate (a
    /// node agent's endpoints): every request is `user`'s.
    public init(handler: any APIHandler, verifiedClient user: String, metrics: APIMetrics, logger: Logger, requestLogLevel: Logger.Level = .info) {
        self.handler = handler
        self.authentication = .verifiedClientCertificate(user: user)
        self.metrics = metrics
        self.logger = logger
        self.requestLogLevel = requestLogLevel
    }

    /// Who may send requests.
    enum Authentication: Sendable {
        /// `Authorization: Bearer` tokens; health and version also without.
        case bearerToken(TokenAuthenticator)
        /// The TLS listener accepted only certificates of `user`.
        case verifiedClientCertificate(user: String)
    }

    public var description: String {
        switch authentication {
        case .bearerToken(let authenticator): return "APIResponder(\(authenticator))"
        case .verifiedClientCertificate(let user): return "APIResponder(client certificates of \(user))"
        }
    }

    static let auditIDField = HTTPField.Name("Audit-Id")!

    public func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let auditID = BufferedRandom.uuidString()
        let target = RequestTarget(rawPath: request.uri.path, rawQuery: request.uri.query)
        var apiRequest = APIRequest(method: request.method.rawValue, path: target.path, query: target.query)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        apiRequest.headers = headers

        var request = request
        let response: APIResponse
        if let failure = await authenticate(&apiRequest, authorization: request.headers[.authorization]) {
            response = failure
        } else if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBodySize {
            response = Self.tooLarge
        } else {
            do {
                let body = try await request.collectBody(upTo: Self.maxBodySize)
                if body.readableBytes > 0 { apiRequest.body = Array(body.readableBytesView) }
                response = await answer(apiRequest)
            } catch is NIOTooManyBytesError {
                response = Self.tooLarge
            }
        }

        let info = RequestInfo(apiRequest)
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(info, code: response.status, duration: elapsed)
        logger.log(level: requestLogLevel, "request", metadata: [
            "method": .string(apiRequest.method), "path": .string(apiRequest.path),
            "status": .string(String(response.status)), "duration": .string(Self.format(elapsed)),
            "user": .string(apiRequest.user ?? ""), "audit_id": .string(auditID),
        ])

        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count + 1)
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        fields[Self.auditIDField] = auditID
        let status = HTTPResponse.Status(code: response.status)

        switch response.body {
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .object(let object):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: object.serialized())))
        case .stream, .events:
            let stream: AsyncThrowingStream<[UInt8], any Error>
            switch response.body {
            case .events(let events): stream = APIWatchEvent.lines(of: events)
            case .stream(let chunks): stream = chunks
            case .bytes, .object: preconditionFailure("a complete body is answered above")
            }
            let watchers = info.verb == "WATCH" ? metrics.watchers(info.resource) : nil
            let events = info.verb == "WATCH" ? metrics.watchEvents(info.resource) : nil
            let bodyRequest = request
            let logger = self.logger
            let path = apiRequest.path
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                watchers?.increment()
                defer { watchers?.decrement() }
                // Chunks go out in batches (``ChunkRelay``); a graceful shutdown ends the stream at
                // once, a long backlog too.
                let relay = ChunkRelay()
                let pump = Task { await relay.pump(stream) }
                defer { pump.cancel() }
                do {
                    try await bodyRequest.body.consumeWithCancellationOnInboundClose { _ in
                        try await withGracefulShutdownHandler {
                            while let batch = try await relay.take() {
                                try await writer.write(contentsOf: batch.buffers())
                                events?.increment(by: Int64(batch.chunks))
                            }
                        } onGracefulShutdown: {
                            relay.stop()
                        }
                    }
                } catch is CancellationError {
                    // The client went away or the server is shutting down; the stream ended with us.
                } catch {
                    logger.debug("stream ended with an error", metadata: ["path": .string(path), "error": .string("\(error)")])
                }
                try await writer.finish(nil)
            })
        }
    }

    /// Sets `request.user`; returns the 401 reply when the credentials are bad or missing.
    func authenticate(_ request: inout APIRequest, authorization: String?) async -> APIResponse? {
        guard case .bearerToken(let authenticator) = authentication else {
            if case .verifiedClientCertificate(let user) = authentication { request.user = user }
            return nil
        }
        if let authorization {
            guard let user = await authenticator.authenticate(authorization: authorization) else { return Self.unauthorized }
            request.user = user.name
            request.userUID = user.uid
            request.groups = user.groups
            return nil
        }
        guard TokenAuthenticator.allowsAnonymous(request.path) else { return Self.unauthorized }
        request.user = "system:anonymous"
        return nil
    }

    /// `/metrics` here, everything else from the handler.
    func answer(_ request: APIRequest) async -> APIResponse {
        if request.path == "/metrics" || request.path == "/metrics/" {
            guard request.method == "GET" else {
                return Self.statusReply(FlotillaError(.methodNotAllowed, "the server does not allow this method on the requested resource"))
            }
            return APIResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: .bytes(metrics.emit()))
        }
        return await handler.handle(request)
    }

    static let unauthorized = statusReply(FlotillaError(.unauthorized, "Unauthorized"))

    static let tooLarge: APIResponse = {
        var reply = statusReply(FlotillaError(.requestEntityTooLarge, "Request entity too large: limit is \(maxBodySize)"))
        reply.headers.append(("Connection", "close"))
        return reply
    }()

    static func statusReply(_ error: FlotillaError) -> APIResponse {
        APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
    }

    /// `12.3ms`-style durations for the request log.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if microseconds < 1000 { return "\(microseconds)µs" }
        if microseconds < 1_000_000 {
            return "\(microseconds / 1000).\(microseconds % 1000 / 100)ms"
        }
        return "\(microseconds / 1_000_000).\(microseconds % 1_000_000 / 100_000)s"
    }
}
