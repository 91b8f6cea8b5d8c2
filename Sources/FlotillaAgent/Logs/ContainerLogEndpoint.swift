import FlotillaAPI
import FlotillaCore
import Foundation

/// The agent's container logs, as a kubelet serves them: `GET /containerLogs/<namespace>/<pod>/<container>`
/// with the `pods/log` options (`follow`, `previous`, `tailLines`, `sinceSeconds`, `sinceTime`,
/// `timestamps`, `limitBytes`) and the pod's uid (`podUID`). The reply is the log as text, a
/// stream while following; errors are `Status` objects in kubelet's words.
struct ContainerLogEndpoint: AgentRoute {
    let runtime: any ContainerRuntime

    func serve(_ request: APIRequest) async throws -> APIResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        guard request.method == "GET", segments.count == 4, segments[0] == "containerLogs" else {
            throw FlotillaError(.notFound, "the agent serves no \(request.method) \(request.path)")
        }
        let (pod, container) = (segments[2], segments[3])
        guard let uid = request.queryValue("podUID"), !uid.isEmpty else {
            throw FlotillaError(.badRequest, "podUID is required")
        }
        let previous = request.queryValue("previous") == "true"
        let instances = try await runtime.listContainers(inSandbox: nil, labels: [PodLabels.podUID: uid, PodLabels.container: container])
            .sorted { ($0.attempt, $0.createdAt) < ($1.attempt, $1.createdAt) }
        guard let instance = previous ? instances.dropLast().last : instances.last else {
            if previous { throw FlotillaError(.badRequest, "previous terminated container \"\(container)\" in pod \"\(pod)\" not found") }
            throw FlotillaError(.badRequest, "container \"\(container)\" in pod \"\(pod)\" is waiting to start: ContainerCreating")
        }
        let status = try await runtime.containerStatus(instance.id)
        let options = try Self.options(request)
        let runtime = self.runtime
        let id = instance.id
        let stream = ContainerLogReader(path: status.logPath).read(options) {
            (try? await runtime.containerStatus(id).state) == .running
        }
        return APIResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .stream(stream))
    }

    /// The reader's options from the (already checked) query.
    static func options(_ request: APIRequest) throws -> ContainerLogReader.Options {
        var options = ContainerLogReader.Options()
        options.follow = request.queryValue("follow") == "true"
        options.timestamps = request.queryValue("timestamps") == "true"
        options.tailLines = request.queryValue("tailLines").flatMap { Int($0) }
        options.limitBytes = request.queryValue("limitBytes").flatMap { Int($0) }
        if let seconds = request.queryValue("sinceSeconds").flatMap({ Double($0) }) {
            options.since = Date().addingTimeInterval(-seconds)
        } else if let time = request.queryValue("sinceTime") {
            options.since = Timestamp.parse(time)
        }
        return options
    }
}
