/// Field lists shared by the definitions of the non-core API groups: the top-level fields of a
/// kind and the common shape of a status condition.
enum KindFields {
    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let labelSelector = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"
    static let condition = "io.k8s.apimachinery.pkg.apis.meta.v1.Condition"
    static let podTemplateSpec = "io.k8s.api.core.v1.PodTemplateSpec"
    static let objectReference = "io.k8s.api.core.v1.ObjectReference"

    /// `apiVersion` and `kind`: JSON-only members of every top-level object. In protobuf they
    /// travel in the envelope, never in the object's own message, so they carry number 0.
    static let typeMeta: [Field] = [
        Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. apps/v1."),
        Field("kind", 0, .string(), "The kind of this object, e.g. Deployment."),
    ]

    /// `apiVersion`, `kind`, then `metadata` (1), plus `spec` (2) and `status` (3) when given.
    static func object(spec: String? = nil, status: String? = nil, specRequired: Bool = false) -> [Field] {
        var fields = typeMeta
        fields.append(Field("metadata", 1, .ref(objectMeta), "The object's name, namespace, labels and other metadata."))
        if let spec {
            fields.append(Field("spec", 2, .ref(spec), "What the object should be.", required: specRequired))
        }
        if let status {
            fields.append(Field("status", 3, .ref(status), "What the system last observed; written by controllers."))
        }
        return fields
    }

    /// The fields of a workload condition: type (1), status (2), a transition time, reason and message.
    static func condition(transitionNumber: Int, reasonNumber: Int, messageNumber: Int) -> [Field] {
        [
            Field("type", 1, .string(), "The kind of condition.", required: true),
            Field("status", 2, .string(), "True, False or Unknown.", required: true),
            Field("lastTransitionTime", transitionNumber, .time, "When the status last changed."),
            Field("reason", reasonNumber, .string(), "A machine-readable word for the last change."),
            Field("message", messageNumber, .string(), "A human-readable account of the last change."),
        ]
    }

    /// The `<Kind>List` definition of each named top-level definition: `apiVersion`, `kind`,
    /// `metadata` (1, a ListMeta) and `items` (2).
    static func lists(of names: [String]) -> [Definition] {
        names.map { name in
            let kind = name.split(separator: ".").last.map(String.init) ?? name
            return Definition(
                name + "List", "A list of \(kind) objects.",
                fields: typeMeta + [
                    Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"), "The list's resource version and continue token."),
                    Field("items", 2, .array(.ref(name)), "The objects.", required: true),
                ])
        }
    }
}
