import FlotillaCore

extension KubernetesClient {
    /// Assigns a pod to a node through the pod's `binding` subresource, as the scheduler does.
    /// Fails with `.conflict` if the pod is already bound.
    public func bind(pod: String, namespace: String, to node: String, uid: String? = nil) async throws {
        var metadata: JSONObject = ["name": .string(pod), "namespace": .string(namespace)]
        if let uid { metadata["uid"] = .string(uid) }
        let binding: JSON = [
            "apiVersion": "v1", "kind": "Binding", "metadata": .object(metadata),
            "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)],
        ]
        _ = try await call("POST", ResourceRef.pods.objectPath(namespace: namespace, name: pod, subresource: "binding"), body: binding)
    }

    /// Evicts a pod through its `eviction` subresource, which honours PodDisruptionBudgets
    /// (a refusal is `.tooManyRequests`).
    public func evict(pod: String, namespace: String, options: DeleteOptions? = nil) async throws {
        var eviction: JSONObject = [
            "apiVersion": "policy/v1", "kind": "Eviction",
            "metadata": ["name": .string(pod), "namespace": .string(namespace)],
        ]
        if let options { eviction["deleteOptions"] = options.json }
        _ = try await call(
            "POST", ResourceRef.pods.objectPath(namespace: namespace, name: pod, subresource: "eviction"),
            body: .object(eviction))
    }

    /// The `autoscaling/v1` `Scale` of a scalable object (deployments, replica sets, stateful sets).
    public func scale(_ resource: ResourceRef, namespace: String, name: String) async throws -> JSON {
        try await call("GET", resource.objectPath(namespace: namespace, name: name, subresource: "scale"))
    }

    /// Sets the desired replicas through the `scale` subresource; returns the new `Scale`.
    @discardableResult
    public func scale(_ resource: ResourceRef, namespace: String, name: String, replicas: Int) async throws -> JSON {
        try await patch(
            resource, namespace: namespace, name: name, ["spec": ["replicas": .int(Int64(replicas))]],
            type: .merge, subresource: "scale")
    }
}
