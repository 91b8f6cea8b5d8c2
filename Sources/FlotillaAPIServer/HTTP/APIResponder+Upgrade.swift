import FlotillaAPI
import FlotillaCore
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore

extension APIResponder {
    /// The largest websocket message accepted from a client (`kubectl cp` sends 32 KiB of stdin at a time).
    static let maxMessageSize = 1 << 20

    /// Decides a websocket upgrade: the request goes through authentication and the handler with
    /// an ``APIRequest/inbound`` stream. A `101` reply upgrades the connection, which then carries
    /// the client's messages into that stream and the reply's stream back as binary messages.
    /// Any other reply is kept for ``respond(to:context:)``, which answers the same request as
    /// plain HTTP once the upgrade is declined.
    public func upgrade(_ head: HTTPRequest, logger: Logger) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let start = ContinuousClock.now
        let rawPath = head.path ?? "/"
        let question = rawPath.firstIndex(of: "?")
        let target = RequestTarget(
            rawPath: String(rawPath[..<(question ?? rawPath.endIndex)]),
            rawQuery: question.map { String(rawPath[rawPath.index(after: $0)...]) })
        let (inbound, input) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        var request = APIRequest(
            method: head.method.rawValue, path: target.path, query: target.query,
            headers: head.headerFields.map { ($0.name.canonicalName, $0.value) }, inbound: inbound)
        let response: APIResponse
        if let failure = await authenticate(&request, authorization: head.headerFields[.authorization]) {
            response = failure
        } else {
            response = await answer(request)
        }
        let info = RequestInfo(request)
        metrics.recordRequest(info, code: response.status, duration: ContinuousClock.now - start)
        guard response.status == 101, case .stream(let outbound) = response.body else {
            input.finish()
            if let key = head.headerFields[Self.webSocketKeyField] { declinedUpgrades.keep(response, for: key) }
            return .dontUpgrade
        }
        logger.log(level: requestLogLevel, "request", metadata: [
            "method": .string(request.method), "path": .string(request.path), "status": "101",
            "user": .string(request.user ?? ""),
        ])
        let path = request.path
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return .upgrade(fields) { messages, writer, _ in
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { input.finish() }
                    for try await message in messages.messages(maxSize: Self.maxMessageSize) {
                        switch message {
                        case .binary(let buffer): input.yield(Array(buffer.readableBytesView))
                        case .text(let text): input.yield(Array(text.utf8))
                        }
                    }
                }
                do {
                    for try await message in outbound {
                        try await writer.write(.binary(ByteBuffer(bytes: message)))
                    }
                } catch {
                    logger.debug("connection ended with an error", metadata: ["path": .string(path), "error": .string("\(error)")])
                }
                group.cancelAll()
            }
        }
    }

    static let webSocketKeyField = HTTPField.Name("Sec-WebSocket-Key")!
}

/// Replies to websocket upgrades that the handler declined, kept by the request's
/// `Sec-WebSocket-Key` until the HTTP responder answers the same request with them.
final class DeclinedUpgrades: Sendable {
    private let replies = Locked<[String: APIResponse]>([:])

    func keep(_ reply: APIResponse, for key: String) {
        replies.withLock { $0[key] = reply }
    }

    /// The reply kept for `key`, removed.
    func take(_ key: String) -> APIResponse? {
        replies.withLock { $0.removeValue(forKey: key) }
    }
}
