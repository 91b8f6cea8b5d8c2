import FlotillaAPI
import FlotillaCore

/// Everything a node's agent serves the API server, routed by the first path segment as a
/// kubelet's server is: `/containerLogs/…` (``ContainerLogEndpoint``), `/exec/…`, `/attach/…` and
/// `/portForward/…` (``ContainerStreamEndpoint``), `/stats/summary` (``StatsSummaryEndpoint``). Errors are `Status` objects.
public struct AgentEndpoints: APIHandler {
    let routes: [String: any APIHandler]

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
        return await route.handle(request)
    }

    /// `error` as a `Status` reply.
    static func reply(_ error: FlotillaError) -> APIResponse {
        APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
    }
}
