import FlotillaCore

/// Checks a decoded request body against its kind's schema (DESIGN.md, principle 3): unknown
/// fields, duplicate fields and values of the wrong JSON type.
///
/// Unknown and duplicate fields are handled as `fieldValidation` asks (``FieldValidationMode``);
/// unknown fields are always pruned from the object that is returned. Type mismatches are always
/// errors: 400 BadRequest as Kubernetes answers for a body its built-in types cannot decode,
/// with one cause per field. `apiVersion`, `kind` and `status` are always allowed
/// at the top.
public enum StructuralValidation {
    /// What a body that passed validation becomes.
    public struct Outcome: Sendable, Equatable {
        /// The body with unknown fields removed.
        public var object: JSON
        /// Texts for `Warning: 299 - "…"` headers (only under ``FieldValidationMode/warn``).
        public var warnings: [String]
    }

    /// Validates `body` (an object of the definition named `definition`).
    ///
    /// - Parameter duplicates: the duplicate member paths `JSONParser.parseReportingDuplicates`
    ///   reported while parsing the body.
    public static func validate(
        _ body: JSON, duplicates: [String] = [], definition: String, catalog: SchemaCatalog = .shared,
        mode: FieldValidationMode
    ) throws(FlotillaError) -> Outcome {
        let root = catalog.definition(definition)
        let gvk = root?.groupVersionKinds.first
        var walker = Walker(navigator: SchemaNavigator(catalog: catalog))
        guard body.object != nil else {
            throw FlotillaError(
                .badRequest, "\(handledAs(gvk))the request body must be a JSON object, got \(body.typeName)",
                group: gvk?.group, kind: gvk?.kind)
        }
        let pruned = walker.walk(body, type: .ref(definition), path: "", topLevel: true)
        if !walker.typeErrors.isEmpty {
            let summary = walker.typeErrors.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
            throw FlotillaError(
                .badRequest, "\(handledAs(gvk))\(summary)", name: body["metadata"]["name"].string,
                group: gvk?.group, kind: gvk?.kind, causes: walker.typeErrors)
        }
        let problems = walker.unknown.map { "unknown field \"\($0)\"" } + duplicates.map { "duplicate field \"\($0)\"" }
        switch mode {
        case .strict where !problems.isEmpty:
            throw FlotillaError(
                .badRequest, "\(handledAs(gvk))strict decoding error: " + problems.joined(separator: ", "),
                group: gvk?.group, kind: gvk?.kind)
        case .warn:
            return Outcome(object: pruned, warnings: problems)
        default:
            return Outcome(object: pruned, warnings: [])
        }
    }

    /// Kubernetes' prefix for decoding errors: `Deployment in version "v1" cannot be handled as a Deployment: `.
    private static func handledAs(_ gvk: GroupVersionKind?) -> String {
        guard let gvk else { return "" }
        return "\(gvk.kind) in version \"\(gvk.version)\" cannot be handled as a \(gvk.kind): "
    }

    private struct Walker {
        let navigator: SchemaNavigator
        var unknown: [String] = []
        var typeErrors: [FlotillaError.Cause] = []

        /// Returns `value` with unknown members removed, recording problems along the way.
        mutating func walk(_ value: JSON, type: SchemaType?, path: String, topLevel: Bool = false) -> JSON {
            guard let type, !value.isNull else { return value }
            switch type {
            case .any:
                return value
            case .ref(let name):
                guard let definition = navigator.catalog.definition(name) else { return value }
                guard case .object(let members) = value else { return mismatch(value, "object", path) }
                var out = JSONObject()
                for (key, member) in members {
                    let childPath = path.isEmpty ? key : "\(path).\(key)"
                    if let field = definition.field(key) {
                        out[key] = walk(member, type: field.type, path: childPath)
                    } else if topLevel && ["apiVersion", "kind", "status"].contains(key) {
                        out[key] = member
                    } else {
                        unknown.append(childPath)
                    }
                }
                return .object(out)
            case .map(let valueType):
                guard case .object(let members) = value else { return mismatch(value, "object", path) }
                var out = JSONObject()
                for (key, member) in members {
                    out[key] = walk(member, type: valueType, path: "\(path)[\(key)]")
                }
                return .object(out)
            case .array(let elementType):
                guard case .array(let items) = value else { return mismatch(value, "array", path) }
                return .array(items.enumerated().map { walk($0.element, type: elementType, path: "\(path)[\($0.offset)]") })
            case .string, .bytes, .duration:
                return value.string != nil ? value : mismatch(value, "string", path)
            case .int32, .int64:
                return value.int != nil ? value : mismatch(value, "integer", path)
            case .number:
                return value.double != nil ? value : mismatch(value, "number", path)
            case .boolean:
                return value.bool != nil ? value : mismatch(value, "boolean", path)
            case .quantity:
                return value.string != nil || value.double != nil ? value : mismatch(value, "string", path)
            case .intOrString:
                return value.string != nil || value.int != nil ? value : mismatch(value, "integer-or-string", path)
            case .time, .microTime:
                guard let text = value.string else { return mismatch(value, "string", path) }
                if Timestamp.parse(text) == nil {
                    typeErrors.append(FlotillaError.Cause(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \"\(text)\": \(path) in body must be of type date-time: \"\(text)\"", field: path))
                }
                return value
            }
        }

        private mutating func mismatch(_ value: JSON, _ expected: String, _ path: String) -> JSON {
            let given = value.typeName
            typeErrors.append(FlotillaError.Cause(
                reason: "FieldValueTypeInvalid",
                message: "Invalid value: \"\(given)\": \(path) in body must be of type \(expected): \"\(given)\"", field: path))
            return value
        }
    }
}
