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
        let object = node.nodeObject(now: now)
        do {
            return try await client.create(.nodes, object)
        } catch let error as FlotillaError where error.code == .alreadyExists {
            let metadata: JSON = ["metadata": ["labels": object[path: ["metadata", "labels"]], "annotations": object[path: ["metadata", "annotations"]]]]
            _ = try await client.patch(.nodes, name: node.name, Self.droppingNulls(metadata), type: .merge)
            return try await client.patch(
                .nodes, name: node.name, ["status": node.status(now: now)], type: .merge, subresource: "status")
        }
    }

    /// A merge patch without null members (which would delete fields).
    private static func droppingNulls(_ value: JSON) -> JSON {
        guard case .object(let members) = value else { return value }
        var kept: JSONObject = [:]
        for (key, member) in members where !member.isNull { kept[key] = droppingNulls(member) }
        return .object(kept)
    }
}
