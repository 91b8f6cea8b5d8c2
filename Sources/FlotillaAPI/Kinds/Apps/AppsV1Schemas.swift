/// The apps/v1 definitions (Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision),
/// contributed to ``SchemaCatalog``.
///
/// Field numbers are those of Kubernetes' `apps/v1/generated.proto`; protobuf request bodies are
/// decoded with them.
public enum AppsV1Schemas {
    public static let definitions: [Definition] = [
        deployment, deploymentSpec, deploymentStrategy, rollingUpdateDeployment, deploymentStatus,
        deploymentCondition,
        replicaSet, replicaSetSpec, replicaSetStatus, replicaSetCondition,
        daemonSet, daemonSetSpec, daemonSetUpdateStrategy, rollingUpdateDaemonSet, daemonSetStatus,
        daemonSetCondition,
        statefulSet, statefulSetSpec, statefulSetUpdateStrategy, rollingUpdateStatefulSetStrategy,
        statefulSetPersistentVolumeClaimRetentionPolicy, statefulSetOrdinals, statefulSetStatus,
        statefulSetCondition,
        controllerRevision,
    ] + KindFields.lists(of: ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"].map { prefix + $0 })

    static let prefix = "io.k8s.api.apps.v1."

    // MARK: Deployment

    static let deployment = Definition(
        prefix + "Deployment", "A declarative, rolling-updatable set of identical pods, run through replica sets.",
        gvk: [GroupVersionKind("apps", "v1", "Deployment")],
        fields: KindFields.object(spec: prefix + "DeploymentSpec", status: prefix + "DeploymentStatus"))

    static let deploymentSpec = Definition(
        prefix + "DeploymentSpec", "What a deployment should run and how it rolls out changes.",
        fields: [
            Field("replicas", 1, .int32, "How many pods should run; defaults to 1.", presence: .pointer),
            Field("selector", 2, .ref(KindFields.labelSelector), "Which pods belong to this deployment; must match the template's labels.", required: true),
            Field("template", 3, .ref(KindFields.podTemplateSpec), "The pod every replica is made from.", required: true),
            Field("strategy", 4, .ref(prefix + "DeploymentStrategy"), "How old pods are replaced by new ones.", patchStrategy: "retainKeys"),
            Field("minReadySeconds", 5, .int32, "Seconds a new pod must stay ready before it counts as available."),
            Field("revisionHistoryLimit", 6, .int32, "How many old replica sets are kept for rollback; defaults to 10.", presence: .pointer),
            Field("paused", 7, .boolean, "Whether rollouts are on hold."),
            Field("progressDeadlineSeconds", 9, .int32, "Seconds a rollout may go without progress before it is reported as failed; defaults to 600.", presence: .pointer),
        ])

    static let deploymentStrategy = Definition(
        prefix + "DeploymentStrategy", "How a deployment replaces its pods.",
        fields: [
            Field("type", 1, .string(enumValues: ["Recreate", "RollingUpdate"]), "Recreate or RollingUpdate (the default)."),
            Field("rollingUpdate", 2, .ref(prefix + "RollingUpdateDeployment"), "Limits of a rolling update; only with type RollingUpdate."),
        ])

    static let rollingUpdateDeployment = Definition(
        prefix + "RollingUpdateDeployment", "Limits that pace a deployment's rolling update.",
        fields: [
            Field("maxUnavailable", 1, .intOrString, "How many pods (or what percentage) may be unavailable during the update; defaults to 25%."),
            Field("maxSurge", 2, .intOrString, "How many pods (or what percentage) may run above the desired count during the update; defaults to 25%."),
        ])

    static let deploymentStatus = Definition(
        prefix + "DeploymentStatus", "What the deployment controller last observed.",
        fields: [
            Field("observedGeneration", 1, .int64, "The generation the controller last acted on."),
            Field("replicas", 2, .int32, "Pods that match the selector and are not terminating."),
            Field("updatedReplicas", 3, .int32, "Pods that run the current template."),
            Field("readyReplicas", 7, .int32, "Pods that are ready."),
            Field("availableReplicas", 4, .int32, "Pods ready for at least minReadySeconds."),
            Field("unavailableReplicas", 5, .int32, "Pods still missing for the deployment to be fully available."),
            Field("conditions", 6, .array(.ref(prefix + "DeploymentCondition")), "The latest observations of the deployment's state.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
            Field("collisionCount", 8, .int32, "Hash collisions met while naming new replica sets.", presence: .pointer),
        ])

    static let deploymentCondition = Definition(
        prefix + "DeploymentCondition", "One observation of a deployment's state, such as Available or Progressing.",
        fields: [
            Field("type", 1, .string(), "The kind of condition: Available, Progressing or ReplicaFailure.", required: true),
            Field("status", 2, .string(), "True, False or Unknown.", required: true),
            Field("lastUpdateTime", 6, .time, "When the condition was last updated."),
            Field("lastTransitionTime", 7, .time, "When the status last changed."),
            Field("reason", 4, .string(), "A machine-readable word for the last change."),
            Field("message", 5, .string(), "A human-readable account of the last change."),
        ])

    // MARK: ReplicaSet

    static let replicaSet = Definition(
        prefix + "ReplicaSet", "Keeps a given number of pods made from one template running.",
        gvk: [GroupVersionKind("apps", "v1", "ReplicaSet")],
        fields: KindFields.object(spec: prefix + "ReplicaSetSpec", status: prefix + "ReplicaSetStatus"))

    static let replicaSetSpec = Definition(
        prefix + "ReplicaSetSpec", "How many pods a replica set keeps and what they look like.",
        fields: [
            Field("replicas", 1, .int32, "How many pods should run; defaults to 1.", presence: .pointer),
            Field("minReadySeconds", 4, .int32, "Seconds a new pod must stay ready before it counts as available."),
            Field("selector", 2, .ref(KindFields.labelSelector), "Which pods belong to this replica set; must match the template's labels.", required: true),
            Field("template", 3, .ref(KindFields.podTemplateSpec), "The pod made when replicas are missing."),
        ])

    static let replicaSetStatus = Definition(
        prefix + "ReplicaSetStatus", "What the replica set controller last observed.",
        fields: [
            Field("replicas", 1, .int32, "Pods that match the selector and are not terminating.", required: true),
            Field("fullyLabeledReplicas", 2, .int32, "Pods whose labels match the template's labels."),
            Field("readyReplicas", 4, .int32, "Pods that are ready."),
            Field("availableReplicas", 5, .int32, "Pods ready for at least minReadySeconds."),
            Field("observedGeneration", 3, .int64, "The generation the controller last acted on."),
            Field("conditions", 6, .array(.ref(prefix + "ReplicaSetCondition")), "The latest observations of the replica set's state.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
        ])

    static let replicaSetCondition = Definition(
        prefix + "ReplicaSetCondition", "One observation of a replica set's state.",
        fields: KindFields.condition(transitionNumber: 3, reasonNumber: 4, messageNumber: 5))

    // MARK: DaemonSet

    static let daemonSet = Definition(
        prefix + "DaemonSet", "Runs one copy of a pod on every eligible node.",
        gvk: [GroupVersionKind("apps", "v1", "DaemonSet")],
        fields: KindFields.object(spec: prefix + "DaemonSetSpec", status: prefix + "DaemonSetStatus"))

    static let daemonSetSpec = Definition(
        prefix + "DaemonSetSpec", "What a daemon set runs on each node and how it updates.",
        fields: [
            Field("selector", 1, .ref(KindFields.labelSelector), "Which pods belong to this daemon set; must match the template's labels.", required: true),
            Field("template", 2, .ref(KindFields.podTemplateSpec), "The pod run on every eligible node.", required: true),
            Field("updateStrategy", 3, .ref(prefix + "DaemonSetUpdateStrategy"), "How pods are replaced when the template changes."),
            Field("minReadySeconds", 4, .int32, "Seconds a new pod must stay ready before it counts as available."),
            Field("revisionHistoryLimit", 6, .int32, "How many old revisions are kept for rollback; defaults to 10.", presence: .pointer),
        ])

    static let daemonSetUpdateStrategy = Definition(
        prefix + "DaemonSetUpdateStrategy", "How a daemon set replaces its pods.",
        fields: [
            Field("type", 1, .string(enumValues: ["OnDelete", "RollingUpdate"]), "RollingUpdate (the default) or OnDelete."),
            Field("rollingUpdate", 2, .ref(prefix + "RollingUpdateDaemonSet"), "Limits of a rolling update; only with type RollingUpdate."),
        ])

    static let rollingUpdateDaemonSet = Definition(
        prefix + "RollingUpdateDaemonSet", "Limits that pace a daemon set's rolling update.",
        fields: [
            Field("maxUnavailable", 1, .intOrString, "How many daemon pods (or what percentage) may be unavailable during the update; defaults to 1."),
            Field("maxSurge", 2, .intOrString, "How many nodes (or what percentage) may run an updated pod beside the old one; defaults to 0."),
        ])

    static let daemonSetStatus = Definition(
        prefix + "DaemonSetStatus", "What the daemon set controller last observed.",
        fields: [
            Field("currentNumberScheduled", 1, .int32, "Nodes that run a daemon pod and should.", required: true),
            Field("numberMisscheduled", 2, .int32, "Nodes that run a daemon pod but should not.", required: true),
            Field("desiredNumberScheduled", 3, .int32, "Nodes that should run a daemon pod.", required: true),
            Field("numberReady", 4, .int32, "Nodes whose daemon pod is ready.", required: true),
            Field("observedGeneration", 5, .int64, "The generation the controller last acted on."),
            Field("updatedNumberScheduled", 6, .int32, "Nodes that run the current template."),
            Field("numberAvailable", 7, .int32, "Nodes whose daemon pod is available."),
            Field("numberUnavailable", 8, .int32, "Nodes that should run a daemon pod but have none available."),
            Field("collisionCount", 9, .int32, "Hash collisions met while naming new revisions.", presence: .pointer),
            Field("conditions", 10, .array(.ref(prefix + "DaemonSetCondition")), "The latest observations of the daemon set's state.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
        ])

    static let daemonSetCondition = Definition(
        prefix + "DaemonSetCondition", "One observation of a daemon set's state.",
        fields: KindFields.condition(transitionNumber: 3, reasonNumber: 4, messageNumber: 5))

    // MARK: StatefulSet

    static let statefulSet = Definition(
        prefix + "StatefulSet", "Runs pods with stable names, network identities and storage.",
        gvk: [GroupVersionKind("apps", "v1", "StatefulSet")],
        fields: KindFields.object(spec: prefix + "StatefulSetSpec", status: prefix + "StatefulSetStatus"))

    static let statefulSetSpec = Definition(
        prefix + "StatefulSetSpec", "What a stateful set runs, in what order, and with what storage.",
        fields: [
            Field("replicas", 1, .int32, "How many pods should run; defaults to 1.", presence: .pointer),
            Field("selector", 2, .ref(KindFields.labelSelector), "Which pods belong to this stateful set; must match the template's labels.", required: true),
            Field("template", 3, .ref(KindFields.podTemplateSpec), "The pod each ordinal is made from.", required: true),
            Field("volumeClaimTemplates", 4, .array(.ref("io.k8s.api.core.v1.PersistentVolumeClaim")),
                  "Claims made for each pod, named after the claim template and the pod.", listType: "atomic"),
            Field("serviceName", 5, .string(), "The headless service that gives the pods their DNS names.", presence: .alwaysSerialized),
            Field("podManagementPolicy", 6, .string(enumValues: ["OrderedReady", "Parallel"]), "OrderedReady (one at a time, the default) or Parallel."),
            Field("updateStrategy", 7, .ref(prefix + "StatefulSetUpdateStrategy"), "How pods are replaced when the template changes."),
            Field("revisionHistoryLimit", 8, .int32, "How many old revisions are kept; defaults to 10.", presence: .pointer),
            Field("minReadySeconds", 9, .int32, "Seconds a new pod must stay ready before it counts as available."),
            Field("persistentVolumeClaimRetentionPolicy", 10, .ref(prefix + "StatefulSetPersistentVolumeClaimRetentionPolicy"),
                  "Whether claims are kept or deleted when the set is deleted or scaled down."),
            Field("ordinals", 11, .ref(prefix + "StatefulSetOrdinals"), "How replica ordinals are numbered."),
        ])

    static let statefulSetUpdateStrategy = Definition(
        prefix + "StatefulSetUpdateStrategy", "How a stateful set replaces its pods.",
        fields: [
            Field("type", 1, .string(enumValues: ["OnDelete", "RollingUpdate"]), "RollingUpdate (the default) or OnDelete."),
            Field("rollingUpdate", 2, .ref(prefix + "RollingUpdateStatefulSetStrategy"), "Parameters of a rolling update."),
        ])

    static let rollingUpdateStatefulSetStrategy = Definition(
        prefix + "RollingUpdateStatefulSetStrategy", "Parameters of a stateful set's rolling update.",
        fields: [
            Field("partition", 1, .int32, "Only pods with an ordinal at or above this number are updated; defaults to 0.", presence: .pointer),
            Field("maxUnavailable", 2, .intOrString, "How many pods (or what percentage) may be unavailable during the update."),
        ])

    static let statefulSetPersistentVolumeClaimRetentionPolicy = Definition(
        prefix + "StatefulSetPersistentVolumeClaimRetentionPolicy", "What happens to claims made from volumeClaimTemplates.",
        fields: [
            Field("whenDeleted", 1, .string(enumValues: ["Retain", "Delete"]), "Retain or Delete claims when the stateful set is deleted."),
            Field("whenScaled", 2, .string(enumValues: ["Retain", "Delete"]), "Retain or Delete claims of pods removed by a scale-down."),
        ])

    static let statefulSetOrdinals = Definition(
        prefix + "StatefulSetOrdinals", "How a stateful set numbers its replicas.",
        fields: [
            Field("start", 1, .int32, "The ordinal of the first replica; defaults to 0.", presence: .alwaysSerialized),
        ])

    static let statefulSetStatus = Definition(
        prefix + "StatefulSetStatus", "What the stateful set controller last observed.",
        fields: [
            Field("observedGeneration", 1, .int64, "The generation the controller last acted on."),
            Field("replicas", 2, .int32, "Pods made by the controller.", required: true),
            Field("readyReplicas", 3, .int32, "Pods that are ready."),
            Field("currentReplicas", 4, .int32, "Pods made from currentRevision."),
            Field("updatedReplicas", 5, .int32, "Pods made from updateRevision."),
            Field("currentRevision", 6, .string(), "The revision that made the pods [0, currentReplicas)."),
            Field("updateRevision", 7, .string(), "The revision being rolled out."),
            Field("collisionCount", 9, .int32, "Hash collisions met while naming new revisions.", presence: .pointer),
            Field("conditions", 10, .array(.ref(prefix + "StatefulSetCondition")), "The latest observations of the stateful set's state.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
            Field("availableReplicas", 11, .int32, "Pods ready for at least minReadySeconds.", presence: .alwaysSerialized),
        ])

    static let statefulSetCondition = Definition(
        prefix + "StatefulSetCondition", "One observation of a stateful set's state.",
        fields: KindFields.condition(transitionNumber: 3, reasonNumber: 4, messageNumber: 5))

    // MARK: ControllerRevision

    static let controllerRevision = Definition(
        prefix + "ControllerRevision", "An immutable snapshot of a controller's template, kept for rollback.",
        gvk: [GroupVersionKind("apps", "v1", "ControllerRevision")],
        fields: KindFields.object() + [
            Field("data", 2, .any, "The snapshot itself."),
            Field("revision", 3, .int64, "The revision number of the snapshot.", required: true),
        ])
}
