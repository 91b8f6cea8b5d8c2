import FlotillaCore

/// The `fieldValidation` query parameter: what to do with unknown and duplicate fields in a
/// request body.
public enum FieldValidationMode: String, Sendable, Equatable {
    /// Reject the request (400) listing every unknown or duplicate field.
    case strict = "Strict"
    /// Accept it, drop unknown fields and return one `Warning` header per problem.
    case warn = "Warn"
    /// Accept it and drop unknown fields silently.
    case ignore = "Ignore"

    /// The mode a query parameter asks for; absent or empty means ``warn``, as in Kubernetes.
    /// Throws 400 BadRequest for any other value.
    public init(query: String?) throws(FlotillaError) {
        guard let query, !query.isEmpty else {
            self = .warn
            return
        }
        guard let mode = FieldValidationMode(rawValue: query) else {
            throw FlotillaError(
                .badRequest,
                "fieldValidation: Unsupported value: \"\(query)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
        self = mode
    }
}
