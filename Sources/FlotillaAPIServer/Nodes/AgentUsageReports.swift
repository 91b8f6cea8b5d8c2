import FlotillaAPI
import FlotillaCore
import Logging

extension APIServer {
    /// The usage reports of the agents of `nodes` that can be reached and answer, by node name,
    /// asked all at once (`GET /stats/summary`). Nodes whose agent cannot be reached or fails
    /// are left out.
    func usageReports(of nodes: Set<String>, logger: Logger) async -> [String: UsageReport] {
        let agents = await agents(ofNodes: nodes)
        return await withTaskGroup(of: (String, UsageReport?).self) { group in
            for (name, agent) in agents {
                group.addTask {
                    let reply = await agent.handle(APIRequest(method: "GET", path: "/stats/summary"))
                    guard reply.status == 200, case .bytes(let body) = reply.body else {
                        logger.debug("no usage from the agent", metadata: ["node": .string(name), "status": "\(reply.status)"])
                        return (name, nil)
                    }
                    do {
                        return (name, try UsageReport(json: JSONParser.parse(body)))
                    } catch {
                        logger.warning("the agent's usage report is malformed", metadata: ["node": .string(name), "error": "\(error)"])
                        return (name, nil)
                    }
                }
            }
            var reports: [String: UsageReport] = [:]
            for await (name, report) in group {
                if let report { reports[name] = report }
            }
            return reports
        }
    }
}
