// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Resource quotas and limit ranges.
    static let policyDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.ResourceQuota", "Limits on the total resources used in a namespace.",
            gvk: [GroupVersionKind("", "v1", "ResourceQuota")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. ResourceQuota."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.ResourceQuotaSpec"), "The limits the quota enforces."),
                Field("status", 3, .ref("io.k8s.api.core.v1.ResourceQuotaStatus"), "The limits and current use."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceQuotaSpec", "The limits a quota enforces.",
            fields: [
                Field("hard", 1, .map(.quantity), "The limit for each named resource."),
                Field("scopes", 2, .array(.string()), "Filters that restrict which objects the quota counts."),
                Field("scopeSelector", 3, .ref("io.k8s.api.core.v1.ScopeSelector"), "Selects the objects the quota counts by scope."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ScopeSelector", "Selects the objects a quota counts by scope.",
            fields: [
                Field("matchExpressions", 1, .array(.ref("io.k8s.api.core.v1.ScopedResourceSelectorRequirement")), "Requirements on keys and values, all of which must hold."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ScopedResourceSelectorRequirement", "A requirement on a quota scope.",
            fields: [
                Field("scopeName", 1, .string(), "The name of the quota scope.", required: true),
                Field("operator", 2, .string(), "In, NotIn, Exists or DoesNotExist.", required: true),
                Field("values", 3, .array(.string()), "The values to compare with."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceQuotaStatus", "The enforced limits and current use.",
            fields: [
                Field("hard", 1, .map(.quantity), "The limit enforced for each named resource."),
                Field("used", 2, .map(.quantity), "The current use of each named resource."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LimitRange", "Limits and defaults for the resources of objects in a namespace.",
            gvk: [GroupVersionKind("", "v1", "LimitRange")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. LimitRange."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.LimitRangeSpec"), "The limits of the range."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LimitRangeSpec", "The limits of a limit range.",
            fields: [
                Field("limits", 1, .array(.ref("io.k8s.api.core.v1.LimitRangeItem")), "The limits, one entry per kind of object.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.LimitRangeItem", "Limits and defaults for one kind of object.",
            fields: [
                Field("type", 1, .string(), "The kind of object the limits apply to: Pod, Container or PersistentVolumeClaim.", required: true),
                Field("max", 2, .map(.quantity), "The maximum of each resource."),
                Field("min", 3, .map(.quantity), "The minimum of each resource."),
                Field("default", 4, .map(.quantity), "The limit given to a container that sets none."),
                Field("defaultRequest", 5, .map(.quantity), "The request given to a container that sets none."),
                Field("maxLimitRequestRatio", 6, .map(.quantity), "The largest allowed ratio of limit to request for each resource."),
            ]),
    ]
}
