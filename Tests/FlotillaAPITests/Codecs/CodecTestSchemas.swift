import FlotillaAPI

/// Small test-local definitions with Kubernetes' real protobuf numbers, enough for the bodies
/// kubectl sends for `create namespace|configmap|secret|service|deployment` and `auth can-i`.
enum CodecTestSchemas {
    static let objectMeta = Definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Standard object metadata.", fields: [
        Field("name", 1, .string(), "Name of the object."),
        Field("generateName", 2, .string(), "Prefix for a generated name."),
        Field("namespace", 3, .string(), "Namespace of the object."),
        Field("selfLink", 4, .string()),
        Field("uid", 5, .string()),
        Field("resourceVersion", 6, .string()),
        Field("generation", 7, .int64),
        Field("creationTimestamp", 8, .time),
        Field("deletionTimestamp", 9, .time),
        Field("deletionGracePeriodSeconds", 10, .int64),
        Field("labels", 11, .map(.string()), "Labels."),
        Field("annotations", 12, .map(.string()), "Annotations."),
        Field("finalizers", 14, .array(.string()), patchStrategy: "merge", listType: "set"),
    ])

    static let namespace = Definition(
        "io.k8s.api.core.v1.Namespace", "A scope for names.", gvk: [GroupVersionKind("", "v1", "Namespace")],
        fields: [
            Field("apiVersion", 0, .string(), "Version of the schema."),
            Field("kind", 0, .string(), "Kind of object."),
            Field("metadata", 1, .ref(objectMeta.name), "Standard object metadata."),
            Field("spec", 2, .ref("io.k8s.api.core.v1.NamespaceSpec"), "Desired state."),
            Field("status", 3, .ref("io.k8s.api.core.v1.NamespaceStatus"), "Observed state."),
        ])
    static let namespaceSpec = Definition("io.k8s.api.core.v1.NamespaceSpec", fields: [
        Field("finalizers", 1, .array(.string()), "Finalizers.")
    ])
    static let namespaceStatus = Definition("io.k8s.api.core.v1.NamespaceStatus", fields: [
        Field("phase", 1, .string(enumValues: ["Active", "Terminating"]), "Phase.")
    ])

    static let configMap = Definition(
        "io.k8s.api.core.v1.ConfigMap", "Configuration data.", gvk: [GroupVersionKind("", "v1", "ConfigMap")],
        fields: [
            Field("metadata", 1, .ref(objectMeta.name)),
            Field("data", 2, .map(.string()), "Text data."),
            Field("binaryData", 3, .map(.bytes), "Binary data."),
            Field("immutable", 4, .boolean),
        ])

    static let secret = Definition(
        "io.k8s.api.core.v1.Secret", "Secret data.", gvk: [GroupVersionKind("", "v1", "Secret")],
        fields: [
            Field("metadata", 1, .ref(objectMeta.name)),
            Field("data", 2, .map(.bytes), "Secret data, base64."),
            Field("type", 3, .string()),
            Field("stringData", 4, .map(.string())),
            Field("immutable", 5, .boolean),
        ])

    static let service = Definition(
        "io.k8s.api.core.v1.Service", "A stable address for pods.", gvk: [GroupVersionKind("", "v1", "Service")],
        fields: [
            Field("metadata", 1, .ref(objectMeta.name)),
            Field("spec", 2, .ref("io.k8s.api.core.v1.ServiceSpec")),
            Field("status", 3, .ref("io.k8s.api.core.v1.ServiceStatus")),
        ])
    static let serviceSpec = Definition("io.k8s.api.core.v1.ServiceSpec", fields: [
        Field("ports", 1, .array(.ref("io.k8s.api.core.v1.ServicePort")), "Ports.",
              patchStrategy: "merge", patchMergeKey: "port", listType: "map", listMapKeys: ["port", "protocol"]),
        Field("selector", 2, .map(.string())),
        Field("clusterIP", 3, .string()),
        Field("type", 4, .string()),
        Field("sessionAffinity", 7, .string()),
        Field("externalName", 10, .string()),
        Field("externalTrafficPolicy", 11, .string()),
        Field("healthCheckNodePort", 12, .int32),
        Field("publishNotReadyAddresses", 13, .boolean),
    ])
    static let servicePort = Definition("io.k8s.api.core.v1.ServicePort", fields: [
        Field("name", 1, .string()),
        Field("protocol", 2, .string()),
        Field("port", 3, .int32, required: true),
        Field("targetPort", 4, .intOrString),
        Field("nodePort", 5, .int32),
    ])
    static let serviceStatus = Definition("io.k8s.api.core.v1.ServiceStatus", fields: [
        Field("loadBalancer", 1, .ref("io.k8s.api.core.v1.LoadBalancerStatus"))
    ])
    static let loadBalancerStatus = Definition("io.k8s.api.core.v1.LoadBalancerStatus", fields: [
        Field("ingress", 1, .array(.any))
    ])

    static let selfSubjectAccessReview = Definition(
        "io.k8s.api.authorization.v1.SelfSubjectAccessReview", "Asks whether the caller may do something.",
        gvk: [GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectAccessReview")],
        fields: [
            Field("metadata", 1, .ref(objectMeta.name)),
            Field("spec", 2, .ref("io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec")),
            Field("status", 3, .ref("io.k8s.api.authorization.v1.SubjectAccessReviewStatus")),
        ])
    static let selfSubjectAccessReviewSpec = Definition("io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec", fields: [
        Field("resourceAttributes", 1, .ref("io.k8s.api.authorization.v1.ResourceAttributes"))
    ])
    static let resourceAttributes = Definition("io.k8s.api.authorization.v1.ResourceAttributes", fields: [
        Field("namespace", 1, .string()), Field("verb", 2, .string()), Field("group", 3, .string()),
        Field("version", 4, .string()), Field("resource", 5, .string()), Field("subresource", 6, .string()),
        Field("name", 7, .string()),
    ])
    static let subjectAccessReviewStatus = Definition("io.k8s.api.authorization.v1.SubjectAccessReviewStatus", fields: [
        Field("allowed", 1, .boolean, required: true), Field("reason", 2, .string()),
        Field("evaluationError", 3, .string()), Field("denied", 4, .boolean),
    ])

    /// A deliberately partial Deployment: most of the pod spec is left out, so its numbers are
    /// reported as unknown.
    static let deployment = Definition(
        "io.k8s.api.apps.v1.Deployment", "Declarative updates for pods.",
        gvk: [GroupVersionKind("apps", "v1", "Deployment")],
        fields: [
            Field("metadata", 1, .ref(objectMeta.name)),
            Field("spec", 2, .ref("io.k8s.api.apps.v1.DeploymentSpec")),
        ])
    static let deploymentSpec = Definition("io.k8s.api.apps.v1.DeploymentSpec", fields: [
        Field("replicas", 1, .int32, "Desired pods.", presence: .pointer),
        Field("selector", 2, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Pods selected.", required: true),
        Field("template", 3, .ref("io.k8s.api.core.v1.PodTemplateSpec"), "Pod template.", required: true),
        Field("minReadySeconds", 5, .int32),
        Field("paused", 7, .boolean),
    ])
    static let labelSelector = Definition("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", fields: [
        Field("matchLabels", 1, .map(.string()))
    ])
    static let podTemplateSpec = Definition("io.k8s.api.core.v1.PodTemplateSpec", fields: [
        Field("metadata", 1, .ref(objectMeta.name)),
        Field("spec", 2, .ref("io.k8s.api.core.v1.PodSpec")),
    ])
    static let podSpec = Definition("io.k8s.api.core.v1.PodSpec", fields: [
        Field("containers", 2, .array(.ref("io.k8s.api.core.v1.Container")), "Containers.",
              required: true, patchStrategy: "merge", patchMergeKey: "name"),
        Field("restartPolicy", 3, .string()),
    ])
    static let container = Definition("io.k8s.api.core.v1.Container", fields: [
        Field("name", 1, .string(), required: true),
        Field("image", 2, .string()),
        Field("args", 4, .array(.string())),
        Field("resources", 8, .ref("io.k8s.api.core.v1.ResourceRequirements")),
    ])
    static let resourceRequirements = Definition("io.k8s.api.core.v1.ResourceRequirements", fields: [
        Field("limits", 1, .map(.quantity)), Field("requests", 2, .map(.quantity)),
    ])

    static let catalog = SchemaCatalog([
        objectMeta, namespace, namespaceSpec, namespaceStatus, configMap, secret, service, serviceSpec,
        servicePort, serviceStatus, loadBalancerStatus, selfSubjectAccessReview, selfSubjectAccessReviewSpec,
        resourceAttributes, subjectAccessReviewStatus, deployment, deploymentSpec, labelSelector,
        podTemplateSpec, podSpec, container, resourceRequirements,
    ])
}
