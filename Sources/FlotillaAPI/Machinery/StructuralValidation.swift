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
    /// - Parameters:
    ///   - duplicates: the duplicate member paths `JSONParser.parseReportingDuplicates`
    ///     reported while parsing the body.
    ///   - stored: the object the body was made from (a patch applied to it), already checked:
    ///     a subtree equal to its counterpart there is not walked again. A patched object
    ///     shares its unchanged subtrees with the stored one, so they compare equal at once.
    public static func validate(
        _ body: JSON, duplicates: [String] = [], definition: String, catalog: SchemaCatalog = .shared,
        mode: FieldValidationMode, stored: JSON? = nil
    ) throws(FlotillaError) -> Outcome {
        let root = catalog.definition(definition)
        let gvk = root?.groupVersionKinds.first
        var walker = Walker(navigator: SchemaNavigator(catalog: catalog))
        guard body.object != nil else {
            throw FlotillaError(
                .badRequest, "\(handledAs(gvk))the request body must be a JSON object, got \(body.typeName)",
                group: gvk?.group, kind: gvk?.kind)
        }
        let pruned = walker.walk(body, type: .ref(definition), stored: stored, topLevel: true) ?? body
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

    /// Walks a value along its schema type. A subtree with nothing to prune is returned as nil
    /// ("unchanged") rather than rebuilt, and a field's path is spelled out only for a problem:
    /// every write walks its whole object, so the common case allocates nothing.
    private struct Walker {
        let navigator: SchemaNavigator
        var unknown: [String] = []
        var typeErrors: [FlotillaError.Cause] = []
        /// Where the walk is: object members, map keys and array indexes from the top.
        private var trail: [FieldPath.Step] = []

        init(navigator: SchemaNavigator) { self.navigator = navigator }

        /// The current path as Kubernetes writes it (`spec.containers[0].name`, `data[key]`).
        private var path: String { FieldPath.render(trail) }

        /// ``walk(_:type:stored:topLevel:)`` of a value one step further down.
        private mutating func walk(_ value: JSON, type: SchemaType?, stored: JSON?, at step: FieldPath.Step) -> JSON? {
            trail.append(step)
            defer { trail.removeLast() }
            return walk(value, type: type, stored: stored)
        }

        /// `value` with unknown members removed, or nil when there were none; records problems
        /// along the way. `stored` is the value at the same place in an object already checked
        /// (nil: none): when equal, there is nothing to look at.
        mutating func walk(_ value: JSON, type: SchemaType?, stored: JSON?, topLevel: Bool = false) -> JSON? {
            guard let type, !value.isNull, stored != value else { return nil }
            switch type {
            case .any:
                return nil
            case .ref(let name):
                guard let definition = navigator.catalog.definition(name) else { return nil }
                guard case .object(let members) = value else { return mismatch(value, "object") }
                var rebuilt: JSONObject?
                for (offset, (key, member)) in members.enumerated() {
                    var kept: JSON? = member  // nil: the member is dropped
                    var changed = false
                    if let field = definition.field(key) {
                        if let pruned = walk(member, type: field.type, stored: stored?[key], at: .name(key)) { (kept, changed) = (pruned, true) }
                    } else if !(topLevel && ["apiVersion", "kind", "status"].contains(key)) && stored?[key] != member {
                        trail.append(.name(key))
                        unknown.append(path)
                        trail.removeLast()
                        (kept, changed) = (nil, true)
                    }
                    if changed, rebuilt == nil { rebuilt = JSONObject(uniqueKeysWithValues: members.elements.prefix(offset)) }
                    if rebuilt != nil, let kept { rebuilt![key] = kept }
                }
                return rebuilt.map(JSON.object)
            case .map(let valueType):
                guard case .object(let members) = value else { return mismatch(value, "object") }
                var rebuilt: JSONObject?
                for (offset, (key, member)) in members.enumerated() {
                    let pruned = walk(member, type: valueType, stored: stored?[key], at: .key(key))
                    if pruned != nil, rebuilt == nil { rebuilt = JSONObject(uniqueKeysWithValues: members.elements.prefix(offset)) }
                    if rebuilt != nil { rebuilt![key] = pruned ?? member }
                }
                return rebuilt.map(JSON.object)
            case .array(let elementType):
                guard case .array(let items) = value else { return mismatch(value, "array") }
                var rebuilt: [JSON]?
                let storedItems = stored?.array ?? []
                for (offset, item) in items.enumerated() {
                    let pruned = walk(item, type: elementType, stored: offset < storedItems.count ? storedItems[offset] : nil, at: .index(offset))
                    if pruned != nil, rebuilt == nil { rebuilt = Array(items.prefix(offset)) }
                    if rebuilt != nil { rebuilt!.append(pruned ?? item) }
                }
                return rebuilt.map(JSON.array)
            case .string, .bytes, .duration:
                return value.string != nil ? nil : mismatch(value, "string")
            case .int32, .int64:
                return value.int != nil ? nil : mismatch(value, "integer")
            case .number:
                return value.double != nil ? nil : mismatch(value, "number")
            case .boolean:
                return value.bool != nil ? nil : mismatch(value, "boolean")
            case .quantity:
                return value.string != nil || value.double != nil ? nil : mismatch(value, "string")
            case .intOrString:
                return value.string != nil || value.int != nil ? nil : mismatch(value, "integer-or-string")
            case .time, .microTime:
                guard let text = value.string else { return mismatch(value, "string") }
                if Timestamp.parse(text) == nil {
                    let path = self.path
                    typeErrors.append(FlotillaError.Cause(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \"\(text)\": \(path) in body must be of type date-time: \"\(text)\"", field: path))
                }
                return nil
            }
        }

        /// Records a value of the wrong type (the walk goes on; the caller throws at the end).
        private mutating func mismatch(_ value: JSON, _ expected: String) -> JSON? {
            let given = value.typeName
            let path = self.path
            typeErrors.append(FlotillaError.Cause(
                reason: "FieldValueTypeInvalid",
                message: "Invalid value: \"\(given)\": \(path) in body must be of type \(expected): \"\(given)\"", field: path))
            return nil
        }
    }
}
