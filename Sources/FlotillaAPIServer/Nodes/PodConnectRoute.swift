import FlotillaAPI
import FlotillaCore

extension APIServer {
    /// `pods/<name>/exec|attach|portforward`: checks the options and the pod (bound, running, the
    /// container valid), negotiates the websocket subprotocol and hands the upgraded connection
    /// to the agent of the pod's node (`/exec|attach/<namespace>/<pod>/<container>`,
    /// `/portForward/<namespace>/<pod>`), whose `101` reply carries the session.
    func podConnect(_ subresource: String, _ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let options = try PodConnectQuery(subresource, request)
        let pod = try await read(path.resource, namespace: path.namespace, name: name).object()
        guard let node = pod["spec"]["nodeName"].string, !node.isEmpty else {
            throw FlotillaError(.badRequest, "pod \(name) does not have a host assigned", name: name, kind: "pods")
        }
        let namespace = path.namespace ?? "default"
        var agentPath = "/portForward/\(namespace)/\(name)"
        if subresource != "portforward" {
            let container = try PodContainerName.resolve(options.container, in: pod, podName: name)
            agentPath = "/\(subresource)/\(namespace)/\(name)/\(container)"
        }
        let phase = pod["status"]["phase"].string ?? "Pending"
        guard phase == "Running" else {
            throw FlotillaError(.badRequest, "pod \(name) is not running (phase \(phase))", name: name, kind: "pods")
        }
        guard let inbound = request.inbound else {
            throw FlotillaError(.badRequest, "Upgrade request required")
        }
        let chosen = try options.subprotocol(offered: request)
        let agent = try await agent(ofNode: node, pod: name)
        var query = options.forwarded
        query.append(("podUID", pod["metadata"]["uid"].string ?? ""))
        var reply = await agent.handle(
            APIRequest(method: "POST", path: agentPath, query: query, headers: [("sec-websocket-protocol", chosen)], inbound: inbound))
        if reply.status == 101, reply.header("Sec-WebSocket-Protocol") == nil { reply.headers.append(("Sec-WebSocket-Protocol", chosen)) }
        return reply
    }
}
