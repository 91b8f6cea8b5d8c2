import FlotillaAPI
import FlotillaCore

extension APIServer {
    /// Serves `<object>/<subresource>`: status, scale, pod binding, eviction and connections,
    /// service account tokens.
    func serveSubresource(_ subresource: String, of path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        let method = request.method.uppercased()
        guard let declared = resource.subresources.first(where: { $0.name == subresource })
            ?? (subresource == "status" && resource.hasStatusSubresource
                ? ResourceDefinition.Subresource("status", kind: resource.groupVersionKind, verbs: ["get", "patch", "update"]) : nil)
        else { throw Self.notFoundError }
        let verb = ["GET": "get", "PUT": "update", "PATCH": "patch", "POST": "create", "DELETE": "delete"][method] ?? ""
        guard declared.verbs.contains(verb) || (verb == "get" && Self.connectSubresources.contains(subresource)) else {
            throw Self.methodNotAllowed
        }
        let isPod = resource.group.isEmpty && resource.plural == "pods"
        switch (subresource, verb) {
        case ("status", "get"):
            return try await get(path, name: name, request)
        case ("status", "update"):
            return try await update(path, name: name, request, scope: .status)
        case ("status", "patch"):
            return try await patch(path, name: name, request, scope: .status)
        case ("scale", "get"):
            return try await getScale(path, name: name, request)
        case ("scale", "update"):
            return try await updateScale(path, name: name, request)
        case ("scale", "patch"):
            return try await patchScale(path, name: name, request)
        case ("binding", "create") where isPod:
            return try await bind(path, name: name, request)
        case ("eviction", "create") where isPod:
            return try await evict(path, name: name, request)
        case ("token", "create") where resource.group.isEmpty && resource.plural == "serviceaccounts":
            return try await issueToken(path, name: name, request)
        case ("log", "get") where isPod:
            return try await podLog(path, name: name, request)
        case (let connection, _) where isPod && ["exec", "attach", "portforward"].contains(connection):
            return try await podConnect(subresource, path, name: name, request)
        case ("proxy", _) where isPod:
            return try await connect(path, name: name)
        default:
            throw Self.methodNotAllowed
        }
    }

    /// Pod subresources that connect to the node agent.
    static let connectSubresources: Set<String> = ["log", "exec", "attach", "portforward", "proxy"]

    /// `pods/proxy`: a pod must be bound; the node agent would answer it.
    func connect(_ path: ResourcePath, name: String) async throws -> APIResponse {
        let pod = try await read(path.resource, namespace: path.namespace, name: name).object()
        if (pod["spec"]["nodeName"].string ?? "").isEmpty {
            throw FlotillaError(.badRequest, "pod \(name) does not have a host assigned", name: name, kind: "pods")
        }
        throw FlotillaError(.serviceUnavailable, "node agent not available", name: name, kind: "pods")
    }
}
