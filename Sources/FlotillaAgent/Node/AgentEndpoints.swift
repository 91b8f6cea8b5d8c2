import FlotillaAPI
import FlotillaCore

/// Everything a node's agent serves the API server, routed by the first path segment as a
/// kubelet's server is: `/containerLogs/…` (``ContainerLogEndpoint``), `/exec/…`, `/attach/…` and
/// `/portForward/…` (``ContainerStreamEndpoint``), `/stats/summary` (``StatsSummaryEndpoint``). Errors are `Status` objects.
public struct AgentEndpoints: APIHandler {
    let routes: [String: any AgentRoute]

    public init(runtime: any ContainerRuntime) {
        let streams = ContainerStreamEndpoint(runtime: runtime)
        routes = [
            "containerLogs": ContainerLogEndpoint(runtime: runtime), "exec": streams, "attach": streams, "portForward": streams,
            "stats": StatsSummaryEndpoint(sampler: UsageSampler(runtime: runtime)),
        ]
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        let first = request.path.split(separator: "/").first.map(String.init) ?? ""
        guard let route = routes[first] else {
            return Self.reply(FlotillaError(.notFound, "the agent serves no \(request.method) \(request.path)"))
        }
        do {
            return try await route.serve(request)
        } catch let error as FlotillaError {
            return Self.reply(error)
        } catch {
            return Self.reply(FlotillaError(.internalError, "\(error)"))
        }
    }

    /// `error` as a `Status` reply.
    static func reply(_ error: FlotillaError) -> APIResponse {
        APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
    }
}

/// One family of the agent's endpoints; what it throws becomes a `Status` reply.
protocol AgentRoute: Sendable {
    func serve(_ request: APIRequest) async throws -> APIResponse
}
