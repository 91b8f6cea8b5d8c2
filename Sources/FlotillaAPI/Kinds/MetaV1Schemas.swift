// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

/// The apimachinery meta/v1 definitions (`io.k8s.apimachinery.pkg.apis.meta.v1.*`): object and
/// list metadata, owner references, label selectors, conditions, Status and DeleteOptions.
public enum MetaV1Schemas {
    /// Definitions contributed to ``SchemaCatalog``.
    public static let definitions: [Definition] = [
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Metadata every stored object has.",
            fields: [
                Field("name", 1, .string(), "The object's name, unique within its namespace and kind."),
                Field("generateName", 2, .string(), "A prefix from which the server makes a unique name when name is empty."),
                Field("namespace", 3, .string(), "The namespace the object lives in; empty for cluster-scoped kinds."),
                Field("selfLink", 4, .string(), "Deprecated; not set."),
                Field("uid", 5, .string(), "A unique identifier the server assigns when the object is created."),
                Field("resourceVersion", 6, .string(), "The version of the object, for optimistic concurrency and watches."),
                Field("generation", 7, .int64, "A sequence number of the object's desired state."),
                Field("creationTimestamp", 8, .time, "When the object was created."),
                Field("deletionTimestamp", 9, .time, "When the object is to be deleted; set once deletion is requested."),
                Field("deletionGracePeriodSeconds", 10, .int64, "Seconds allowed for graceful termination before deletion.", presence: .pointer),
                Field("labels", 11, .map(.string()), "Key/value pairs that organize and select objects."),
                Field("annotations", 12, .map(.string()), "Key/value pairs holding arbitrary non-identifying data."),
                Field("ownerReferences", 13, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference")), "Objects this one depends on; it is garbage-collected when they are gone.", patchStrategy: "merge", patchMergeKey: "uid", listType: "map", listMapKeys: ["uid"]),
                Field("finalizers", 14, .array(.string()), "Entries that must be removed before the object is deleted.", patchStrategy: "merge", listType: "set"),
                Field("managedFields", 17, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry")), "Which field manager owns which fields.", listType: "atomic"),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", "A reference to an object that owns this one.",
            fields: [
                Field("apiVersion", 5, .string(), "The API version of the owner.", required: true),
                Field("kind", 1, .string(), "The kind of the owner.", required: true),
                Field("name", 3, .string(), "The name of the owner.", required: true),
                Field("uid", 4, .string(), "The uid of the owner.", required: true),
                Field("controller", 6, .boolean, "Whether the owner is the managing controller.", presence: .pointer),
                Field("blockOwnerDeletion", 7, .boolean, "Whether the owner's foreground deletion waits for this object.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "The fields one field manager owns, with the operation that set them.",
            fields: [
                Field("manager", 1, .string(), "The name of the field manager."),
                Field("operation", 2, .string(), "The operation that set the fields: Apply or Update."),
                Field("apiVersion", 3, .string(), "The API version the fields belong to."),
                Field("time", 4, .time, "When the fields were last changed by this manager."),
                Field("fieldsType", 6, .string(), "The format of fieldsV1; always FieldsV1."),
                Field("fieldsV1", 7, .any, "The set of fields owned."),
                Field("subresource", 8, .string(), "The subresource the fields were set through."),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", "Metadata of a list: its resource version and paging token.",
            fields: [
                Field("selfLink", 1, .string(), "Deprecated; not set."),
                Field("resourceVersion", 2, .string(), "The store revision the list was read at."),
                Field("continue", 3, .string(), "A token for fetching the next page of the list."),
                Field("remainingItemCount", 4, .int64, "How many items remain after this page, when known.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", "Selects objects by their labels; an empty selector matches everything.",
            fields: [
                Field("matchLabels", 1, .map(.string()), "Labels that must all be present with these values."),
                Field("matchExpressions", 2, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement")), "Requirements on keys and values, all of which must hold.", listType: "atomic"),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "One requirement on a label key and its values.",
            fields: [
                Field("key", 1, .string(), "The label key.", required: true),
                Field("operator", 2, .string(), "In, NotIn, Exists or DoesNotExist.", required: true),
                Field("values", 3, .array(.string()), "The values for In and NotIn; empty for Exists and DoesNotExist.", listType: "atomic"),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.Condition", "One observed condition of an object.",
            fields: [
                Field("type", 1, .string(), "The kind of condition, in CamelCase.", required: true),
                Field("status", 2, .string(), "True, False or Unknown.", required: true),
                Field("observedGeneration", 3, .int64, "The metadata.generation the condition was set for."),
                Field("lastTransitionTime", 4, .time, "When the condition last changed status.", required: true),
                Field("reason", 5, .string(), "A CamelCase word for why the condition last changed.", required: true),
                Field("message", 6, .string(), "A human-readable account of the last change.", required: true),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.Status", "The outcome of a request that returns no object, or of a failure.",
            gvk: [GroupVersionKind("", "v1", "Status")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Status."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "Standard list metadata; unused."),
                Field("status", 2, .string(), "Success or Failure."),
                Field("message", 3, .string(), "A human-readable description of the outcome."),
                Field("reason", 4, .string(), "A machine-readable word for the failure, e.g. NotFound."),
                Field("details", 5, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails"), "More data about the failure."),
                Field("code", 6, .int32, "The HTTP status code."),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails", "More data about a Status: the object and the field-level causes.",
            fields: [
                Field("name", 1, .string(), "The name of the object concerned."),
                Field("group", 2, .string(), "The API group of the object concerned."),
                Field("kind", 3, .string(), "The kind of the object concerned."),
                Field("uid", 6, .string(), "The uid of the object concerned."),
                Field("causes", 4, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause")), "The individual problems, each about one field.", listType: "atomic"),
                Field("retryAfterSeconds", 5, .int32, "Seconds to wait before retrying."),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause", "One problem, usually about one field.",
            fields: [
                Field("reason", 1, .string(), "A machine-readable word for the problem, e.g. FieldValueInvalid."),
                Field("message", 2, .string(), "A human-readable description of the problem."),
                Field("field", 3, .string(), "The path of the field the problem is about."),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", "Options of a delete request.",
            gvk: [GroupVersionKind("", "v1", "DeleteOptions")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. DeleteOptions."),
                Field("gracePeriodSeconds", 1, .int64, "Seconds before the object is deleted; zero deletes at once.", presence: .pointer),
                Field("preconditions", 2, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions"), "Conditions that must hold for the deletion to go ahead."),
                Field("orphanDependents", 3, .boolean, "Deprecated: whether dependents are orphaned.", presence: .pointer),
                Field("propagationPolicy", 4, .string(), "How dependents are deleted: Orphan, Background or Foreground.", presence: .pointer),
                Field("dryRun", 5, .array(.string()), "When All, the request is checked but nothing is stored.", listType: "atomic"),
                Field("ignoreStoreReadErrorWithClusterBreakingPotential", 6, .boolean, "Deletes an object that cannot be read from storage; dangerous.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions", "Conditions that must hold for an operation to proceed.",
            fields: [
                Field("uid", 1, .string(), "The uid the object must have.", presence: .pointer),
                Field("resourceVersion", 2, .string(), "The resource version the object must have.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent", "One event of a watch: its type and the object.",
            fields: [
                Field("type", 1, .string(), "ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.", required: true),
                Field("object", 2, .any, "The object, or a Status for ERROR.", required: true),
            ]),
    ]
}
