import FlotillaClient
import FlotillaCore

/// Registers a node with the API server, as a kubelet does on start.
///
/// A new node is created with its labels, taints and status. A node that already exists (the
/// agent restarted) keeps its spec, so cordons and taints set by users survive; the agent's
/// labels and annotations are merged in and its status replaced.
public struct NodeRegistrar: Sendable {
    let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    /// Creates or refreshes the node; returns the Node as stored.
    @discardableResult
    public func register(_ node: NodeDescription, now: String = Timestamp.now()) async throws -> JSON {
        do {
            return try await client.create(.nodes, node.nodeObject(now: now))
        } catch let error as FlotillaError where error.code == .alreadyExists {
            _ = try await client.patch(.nodes, name: node.name, ["metadata": .object(node.metadata)], type: .merge)
            return try await client.patch(
                .nodes, name: node.name, ["status": node.status(now: now)], type: .merge, subresource: "status")
        }
    }
}
