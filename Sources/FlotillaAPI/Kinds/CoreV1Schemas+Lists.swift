// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// The list kinds of the core resources.
    static let listDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.NamespaceList", "A list of Namespace objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. NamespaceList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Namespace")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodList", "A list of Pod objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PodList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Pod")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodTemplateList", "A list of PodTemplate objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PodTemplateList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.PodTemplate")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeList", "A list of Node objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. NodeList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Node")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceList", "A list of Service objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ServiceList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Service")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.EndpointsList", "A list of Endpoints objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. EndpointsList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Endpoints")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapList", "A list of ConfigMap objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ConfigMapList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.ConfigMap")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretList", "A list of Secret objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. SecretList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Secret")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.EventList", "A list of Event objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. EventList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.Event")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceAccountList", "A list of ServiceAccount objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ServiceAccountList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.ServiceAccount")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeList", "A list of PersistentVolume objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PersistentVolumeList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.PersistentVolume")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimList", "A list of PersistentVolumeClaim objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PersistentVolumeClaimList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.PersistentVolumeClaim")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceQuotaList", "A list of ResourceQuota objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ResourceQuotaList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.ResourceQuota")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.LimitRangeList", "A list of LimitRange objects.",
            fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. LimitRangeList."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The object's name, namespace, labels and other metadata."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.LimitRange")), "The keys to project and the files they become; all keys when empty.", required: true),
            ]),
    ]
}
