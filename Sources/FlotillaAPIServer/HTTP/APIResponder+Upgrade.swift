import FlotillaAPI
import FlotillaCore
import HTTPTypes
import HummingbirdWebSocket
import Foundation
import Logging
import NIOCore

extension APIResponder {
    /// The largest websocket message accepted from a client (`kubectl cp` sends 32 KiB of stdin at a time).
    static let maxMessageSize = 1 << 20

    /// Decides a websocket upgrade: the request goes through authentication and the handler with
    /// an ``APIRequest/inbound`` stream. A `101` reply upgrades the connection, which then carries
    /// the client's messages into that stream and the reply's stream back as binary messages.
    /// Any other reply to a client that speaks a channel protocol (exec, attach) still upgrades,
    /// and the `Status` goes on the error channel, as a kubelet reports failures; to any other
    /// client the upgrade is refused (400). A request without an upgrade gets the `Status` as
    /// plain HTTP from ``respond(to:context:)``.
    ///
    /// A client that sends ``readyMessageField`` writes an empty message as soon as its side of
    /// the upgrade is in place, and nothing goes out before it: the API server's relay to an agent
    /// does, as its websocket client can lose frames that arrive with the `101` (an agent's
    /// refusal is written at once, and the relay then waited for it until kubectl gave up).
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
        var reply = response
        if response.status != 101 {
            input.finish()
            let offered = head.headerFields[values: Self.webSocketProtocolField].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard case .bytes(let status) = response.body, let channelProtocol = Self.channelProtocols.first(where: offered.contains) else {
                return .dontUpgrade
            }
            reply = APIResponse(
                status: 101, headers: [("Sec-WebSocket-Protocol", channelProtocol)],
                body: .stream(AsyncThrowingStream { $0.yield([Self.errorChannel] + status); $0.finish() }))
        }
        guard case .stream(let outbound) = reply.body else { return .dontUpgrade }
        logger.log(level: requestLogLevel, "request", metadata: [
            "method": .string(request.method), "path": .string(request.path), "status": .string(String(response.status)),
            "user": .string(request.user ?? ""),
        ])
        let path = request.path
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let awaitsReady = head.headerFields[Self.readyMessageField] != nil
        return .upgrade(fields) { messages, writer, _ in
            // Finished by the client's first message (or by its end) when it announced one.
            let (ready, clientReady) = AsyncStream<Void>.makeStream()
            if !awaitsReady { clientReady.finish() }
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { input.finish(); clientReady.finish() }
                    var first = awaitsReady
                    for try await message in messages.messages(maxSize: Self.maxMessageSize) {
                        let bytes = message.bytes
                        if first {
                            first = false
                            clientReady.finish()
                            if bytes.isEmpty { continue }
                        }
                        input.yield(bytes)
                    }
                }
                for await _ in ready {}
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

    static let webSocketProtocolField = HTTPField.Name("Sec-WebSocket-Protocol")!
    /// Sent by a client whose first message is an empty one saying that it is ready to read.
    public static let readyMessageField = HTTPField.Name("X-Flotilla-Ready-Message")!
    /// The channel protocols of exec and attach, preferred first (v5 adds closing stdin); their
    /// error channel carries a `Status`.
    static let channelProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
    static let errorChannel: UInt8 = 3
}
