import FlotillaAPI
import FlotillaCore
import FlotillaStore

extension APIServer {
    /// The agent of node `name` (see ``NodeConnections``), or `serviceUnavailable` naming `pod`
    /// when the node does not exist or its agent cannot be reached.
    func agent(ofNode name: String, pod: String) async throws -> any APIHandler {
        if let handler = nodes.registeredHandler(for: name) { return handler }
        guard let node = try await storedNode(name), let handler = try nodes.handler(for: node) else {
            throw FlotillaError(.serviceUnavailable, "the agent of node \(name) cannot be reached", name: pod, kind: "pods")
        }
        return handler
    }

    /// The agents that can be reached of the nodes named `names`, by node name.
    func agents(ofNodes names: Set<String>) async -> [String: any APIHandler] {
        var agents: [String: any APIHandler] = [:]
        for name in names {
            if let handler = nodes.registeredHandler(for: name) {
                agents[name] = handler
            } else if let node = try? await storedNode(name), let handler = try? nodes.handler(for: node) {
                agents[name] = handler
            }
        }
        return agents
    }

    private func storedNode(_ name: String) async throws -> JSON? {
        guard let resource = resources.resource(group: "", version: "v1", plural: "nodes"),
            let kv = try await store.get(StorageKeys.key(resource, namespace: nil, name: name))
        else { return nil }
        return try StoredObject.decode(kv)
    }
}
