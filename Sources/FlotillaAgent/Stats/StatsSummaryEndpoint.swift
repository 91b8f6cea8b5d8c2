import FlotillaAPI
import FlotillaCore

/// The agent's usage summary for the metrics API: `GET /stats/summary` replies with the
/// ``UsageReport`` of the node and its running containers, as JSON.
public struct StatsSummaryEndpoint: APIHandler {
    let sampler: UsageSampler

    public init(sampler: UsageSampler) {
        self.sampler = sampler
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        guard request.method == "GET", request.path == "/stats/summary" else {
            return AgentEndpoints.reply(FlotillaError(.notFound, "the agent serves no \(request.method) \(request.path)"))
        }
        do {
            let report = try await sampler.report()
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(report.json.serialized()))
        } catch let error as FlotillaError {
            return AgentEndpoints.reply(error)
        } catch {
            return AgentEndpoints.reply(FlotillaError(.internalError, "usage could not be measured: \(error)"))
        }
    }
}
