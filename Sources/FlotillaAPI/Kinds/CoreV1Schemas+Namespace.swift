// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Namespaces.
    static let namespaceDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Namespace", "A namespace: a scope for the names of namespaced objects.",
            gvk: [GroupVersionKind("", "v1", "Namespace")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Namespace."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.NamespaceSpec"), "What the object should be."),
                Field("status", 3, .ref("io.k8s.api.core.v1.NamespaceStatus"), "What the system last observed."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NamespaceSpec", "What a namespace should be.",
            fields: [
                Field("finalizers", 1, .array(.string()), "Finalizers that must be cleared before the namespace is removed."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NamespaceStatus", "The observed state of a namespace.",
            fields: [
                Field("phase", 1, .string(), "Active or Terminating."),
                Field("conditions", 2, .array(.ref("io.k8s.api.core.v1.NamespaceCondition")), "The latest observations of the namespace.", patchStrategy: "merge", patchMergeKey: "type"),
            ]),
        Definition(
            "io.k8s.api.core.v1.NamespaceCondition", "One observed condition of a namespace.",
            fields: [
                Field("type", 1, .string(), "The kind of condition.", required: true),
                Field("status", 2, .string(), "True, False or Unknown.", required: true),
                Field("lastTransitionTime", 4, .time, "When the condition last changed status."),
                Field("reason", 5, .string(), "A machine-readable word explaining the state."),
                Field("message", 6, .string(), "A human-readable explanation of the state."),
            ]),
    ]
}
