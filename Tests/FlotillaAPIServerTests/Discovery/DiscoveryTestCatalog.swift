import FlotillaAPI

/// A small catalog for discovery tests: pods (with status and eviction), namespaces, deployments.
enum DiscoveryTestCatalog {
    static let catalog = ResourceCatalog([
        ResourceDefinition(
            group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, shortNames: ["po"], categories: ["all"],
            subresources: [
                .init("status", kind: GroupVersionKind("", "v1", "Pod"), verbs: ["get", "patch", "update"]),
                .init("eviction", kind: GroupVersionKind("policy", "v1", "Eviction"), verbs: ["create"]),
            ],
            schema: "io.k8s.api.core.v1.Pod"),
        ResourceDefinition(
            group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"],
            schema: "io.k8s.api.core.v1.Namespace"),
        ResourceDefinition(
            group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
            shortNames: ["deploy"], categories: ["all"],
            subresources: [.init("scale", kind: GroupVersionKind("autoscaling", "v1", "Scale"), verbs: ["get", "patch", "update"])],
            schema: "io.k8s.api.apps.v1.Deployment"),
        ResourceDefinition(
            group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, schema: "io.k8s.api.batch.v1.Job"),
    ])
}
