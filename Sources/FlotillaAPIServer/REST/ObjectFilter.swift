import FlotillaAPI
import FlotillaCore

/// Which objects a list, watch or deletecollection selects: `labelSelector`, `fieldSelector`,
/// and for a watch of one object, its name.
struct ObjectFilter: Sendable {
    var labels: LabelSelector
    var fields: FieldSelector

    /// Whether every object is selected (so objects need not be parsed to be filtered).
    var isEmpty: Bool { labels.isEmpty && fields.isEmpty }

    /// The selectors of `request`, checked against `resource`'s selectable fields; a bad selector is a 400.
    init(_ request: APIRequest, resource: ResourceDefinition, name: String? = nil) throws {
        labels = try LabelSelector(parsing: request.queryValue("labelSelector") ?? "")
        fields = try FieldSelector(parsing: request.queryValue("fieldSelector") ?? "")
        try fields.validate(for: resource)
        if let name { fields.terms.append(FieldSelector.Term(field: "metadata.name", value: name)) }
    }

    /// Whether `object` is selected.
    func matches(_ object: JSON) -> Bool {
        (labels.isEmpty || labels.matches(labels: object["metadata"]["labels"])) && (fields.isEmpty || fields.matches(object))
    }
}
