import Foundation
import FlotillaAPI
import FlotillaCore

/// What a remote agent's HTTPS listener serves: the agent's endpoints once its runtime answers
/// (`503` until then), with the websocket subprotocol the API server asked for confirmed on
/// every upgrade (the API server already chose one of the client's).
final class AgentEndpointHandler: APIHandler {
    private let endpoints = Locked<(any APIHandler)?>(nil)

    /// Starts serving `handler`.
    func serve(_ handler: any APIHandler) {
        endpoints.withLock { $0 = handler }
    }

    func handle(_ request: APIRequest) async -> APIResponse {
        guard let handler = endpoints.withLock({ $0 }) else {
            let error = FlotillaError(.serviceUnavailable, "the agent's container runtime is not ready yet")
            return APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
        }
        var reply = await handler.handle(request)
        if reply.status == 101, reply.header("Sec-WebSocket-Protocol") == nil,
            let offered = request.headers.first(where: { $0.name.lowercased() == "sec-websocket-protocol" })?.value
        {
            reply.headers.append(("Sec-WebSocket-Protocol", offered.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? offered))
        }
        return reply
    }
}
