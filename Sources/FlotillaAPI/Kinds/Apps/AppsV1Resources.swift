import FlotillaCore

/// The apps/v1 resources, contributed to ``ResourceCatalog``.
public enum AppsV1Resources {
    public static let all: [ResourceDefinition] = [deployments, replicaSets, daemonSets, statefulSets, controllerRevisions]

    static let deployments = ResourceDefinition(
        group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
        shortNames: ["deploy"], categories: ["all"],
        subresources: [Subresources.status("apps", "v1", "Deployment"), Subresources.scale],
        schema: AppsV1Schemas.prefix + "Deployment", hasStatusSubresource: true,
        columns: AppsV1Columns.deployments,
        defaulter: { AppsV1Defaults.deployment(&$0) },
        validator: { AppsV1Validation.deployment($0, $1) })

    static let replicaSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true,
        shortNames: ["rs"], categories: ["all"],
        subresources: [Subresources.status("apps", "v1", "ReplicaSet"), Subresources.scale],
        schema: AppsV1Schemas.prefix + "ReplicaSet", hasStatusSubresource: true,
        columns: AppsV1Columns.replicaSets,
        defaulter: { AppsV1Defaults.replicaSet(&$0) },
        validator: { AppsV1Validation.replicaSet($0, $1) })

    static let daemonSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", namespaced: true,
        shortNames: ["ds"], categories: ["all"],
        subresources: [Subresources.status("apps", "v1", "DaemonSet")],
        schema: AppsV1Schemas.prefix + "DaemonSet", hasStatusSubresource: true,
        columns: AppsV1Columns.daemonSets,
        defaulter: { AppsV1Defaults.daemonSet(&$0) },
        validator: { AppsV1Validation.daemonSet($0, $1) })

    static let statefulSets = ResourceDefinition(
        group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true,
        shortNames: ["sts"], categories: ["all"],
        subresources: [Subresources.status("apps", "v1", "StatefulSet"), Subresources.scale],
        schema: AppsV1Schemas.prefix + "StatefulSet", hasStatusSubresource: true,
        columns: AppsV1Columns.statefulSets,
        defaulter: { AppsV1Defaults.statefulSet(&$0) },
        validator: { AppsV1Validation.statefulSet($0, $1) })

    static let controllerRevisions = ResourceDefinition(
        group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true,
        schema: AppsV1Schemas.prefix + "ControllerRevision", hasSpec: false,
        columns: AppsV1Columns.controllerRevisions,
        validator: { AppsV1Validation.controllerRevision($0, $1) })
}
