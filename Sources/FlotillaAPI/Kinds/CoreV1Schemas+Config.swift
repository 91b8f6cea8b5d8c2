// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Config maps, secrets, service accounts, bindings and object references.
    static let configDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.ConfigMap", "Configuration data as key/value pairs.",
            gvk: [GroupVersionKind("", "v1", "ConfigMap")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ConfigMap."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("immutable", 4, .boolean, "Whether the data can no longer be changed.", presence: .pointer),
                Field("data", 2, .map(.string()), "Plain-text values by key."),
                Field("binaryData", 3, .map(.bytes), "Binary values, base64-encoded in JSON."),
            ]),
        Definition(
            "io.k8s.api.core.v1.Secret", "Sensitive data as key/value pairs.",
            gvk: [GroupVersionKind("", "v1", "Secret")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Secret."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("immutable", 5, .boolean, "Whether the data can no longer be changed.", presence: .pointer),
                Field("data", 2, .map(.bytes), "Values by key, base64-encoded in JSON."),
                Field("stringData", 4, .map(.string()), "Plain-text values merged into data when written; never returned."),
                Field("type", 3, .string(), "The kind of secret, e.g. Opaque or kubernetes.io/tls."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceAccount", "An identity for processes that run in pods.",
            gvk: [GroupVersionKind("", "v1", "ServiceAccount")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ServiceAccount."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("secrets", 2, .array(.ref("io.k8s.api.core.v1.ObjectReference")), "Secrets the service account's pods may use.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("imagePullSecrets", 3, .array(.ref("io.k8s.api.core.v1.LocalObjectReference")), "Secrets holding credentials for pulling the pod's images."),
                Field("automountServiceAccountToken", 4, .boolean, "Whether pods using the account get its token mounted by default.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.Binding", "Binds an object to another, e.g. a pod to a node.",
            gvk: [GroupVersionKind("", "v1", "Binding")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Binding."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("target", 2, .ref("io.k8s.api.core.v1.ObjectReference"), "The object to bind to, e.g. a node.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.LocalObjectReference", "A reference to an object by name in the same namespace.",
            fields: [
                Field("name", 1, .string(), "The name of the referenced object."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ObjectReference", "A reference to an object.",
            fields: [
                Field("kind", 1, .string(), "The kind of the referenced object."),
                Field("namespace", 2, .string(), "The namespace of the referenced object."),
                Field("name", 3, .string(), "The name of the referenced object."),
                Field("uid", 4, .string(), "The uid of the referenced object."),
                Field("apiVersion", 5, .string(), "The API version of the referenced object."),
                Field("resourceVersion", 6, .string(), "The resource version of the referenced object."),
                Field("fieldPath", 7, .string(), "The part of the object meant, e.g. spec.containers{name}."),
            ]),
    ]
}
