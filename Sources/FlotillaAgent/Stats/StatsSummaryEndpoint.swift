import FlotillaAPI
import FlotillaCore

/// The agent's usage summary for the metrics API: `GET /stats/summary` replies with the
/// ``UsageReport`` of the node and its running containers, as JSON.
struct StatsSummaryEndpoint: AgentRoute {
    let sampler: UsageSampler

    func serve(_ request: APIRequest) async throws -> APIResponse {
        guard request.method == "GET", request.path == "/stats/summary" else {
            throw FlotillaError(.notFound, "the agent serves no \(request.method) \(request.path)")
        }
        let report: UsageReport
        do {
            report = try await sampler.report()
        } catch let error as FlotillaError {
            throw error
        } catch {
            throw FlotillaError(.internalError, "usage could not be measured: \(error)")
        }
        return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(report.json.serialized()))
    }
}
