import FlotillaCore

/// Writes ``Definition``s as OpenAPI 3.0 component schemas, the way Kubernetes publishes them:
/// `type`/`properties`/`required`, `$ref` wrapped in `allOf` when the field has a description,
/// `format` for sized numbers, bytes and times, Quantity and IntOrString as the components
/// Kubernetes publishes (IntOrString with `x-kubernetes-int-or-string`), and the patch and list
/// extensions that strategic merge patch and server-side apply read.
struct OpenAPISchemaWriter {
    static let refPrefix = "#/components/schemas/"
    static let patchName = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
    static let quantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity"
    static let intOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"

    let schemas: SchemaCatalog

    /// Names of every definition reachable from `roots` through field types, `roots` included,
    /// in a stable order; and the referenced names that the catalog lacks.
    func reachable(from roots: [String]) -> (names: [String], missing: [String]) {
        var seen = Set<String>()
        var missing = Set<String>()
        var stack = roots
        while let name = stack.popLast() {
            guard seen.insert(name).inserted else { continue }
            guard let definition = schemas.definition(name) else {
                missing.insert(name)
                continue
            }
            for field in definition.fields { Self.collectRefs(field.type, into: &stack) }
        }
        seen.subtract(missing)
        return (seen.sorted(), missing.sorted())
    }

    private static func collectRefs(_ type: SchemaType, into names: inout [String]) {
        switch type {
        case .ref(let name): names.append(name)
        case .array(let element), .map(let element): collectRefs(element, into: &names)
        default: break
        }
    }

    /// The names of the built-in components (Quantity, IntOrString) a definition's fields use.
    static func builtinComponents(of definition: Definition) -> Set<String> {
        var names = Set<String>()
        func visit(_ t: SchemaType) {
            switch t {
            case .quantity: names.insert(quantityName)
            case .intOrString: names.insert(intOrStringName)
            case .array(let e), .map(let e): visit(e)
            default: break
            }
        }
        for field in definition.fields { visit(field.type) }
        return names
    }

    /// The schemas of the built-in components, by name.
    static let builtins: [String: JSON] = [
        quantityName: [
            "description":
                "A fixed-point number with an optional SI or binary suffix, such as 500m, 2, 1.5Gi or 1e3; numbers are accepted too.",
            "oneOf": [["type": "string"], ["type": "number"]],
        ],
        intOrStringName: [
            "description": "A value that is either an integer or a string, such as a port number or a port name.",
            "format": "int-or-string",
            "oneOf": [["type": "integer"], ["type": "string"]],
            "x-kubernetes-int-or-string": true,
        ],
        patchName: [
            "description": "The body of a PATCH request, in the format its content type names.",
            "type": "object",
        ],
    ]

    /// The component schema of one definition.
    func component(_ definition: Definition) -> JSON {
        var s = JSONObject()
        if !definition.description.isEmpty { s["description"] = .string(definition.description) }
        s["type"] = "object"
        let required = definition.fields.filter(\.required).map { JSON.string($0.name) }
        if !required.isEmpty { s["required"] = .array(required) }
        var properties = JSONObject()
        for field in definition.fields { properties[field.name] = .object(property(field)) }
        s["properties"] = .object(properties)
        if !definition.groupVersionKinds.isEmpty {
            s["x-kubernetes-group-version-kind"] = .array(definition.groupVersionKinds.map(Self.gvkJSON))
        }
        return .object(s)
    }

    /// `{"group": …, "kind": …, "version": …}`.
    static func gvkJSON(_ gvk: GroupVersionKind) -> JSON {
        ["group": .string(gvk.group), "kind": .string(gvk.kind), "version": .string(gvk.version)]
    }

    /// The schema of one property, with its description and patch/list extensions.
    func property(_ field: Field) -> JSONObject {
        var s = typeSchema(field.type, description: field.description.isEmpty ? nil : field.description)
        if let key = field.patchMergeKey { s["x-kubernetes-patch-merge-key"] = .string(key) }
        if let strategy = field.patchStrategy { s["x-kubernetes-patch-strategy"] = .string(strategy) }
        if let listType = field.listType { s["x-kubernetes-list-type"] = .string(listType) }
        if let keys = field.listMapKeys { s["x-kubernetes-list-map-keys"] = .array(keys.map { .string($0) }) }
        return s
    }

    /// The schema of a type; a described reference is wrapped as `allOf: [{$ref}]` so that the
    /// description can sit beside it.
    func typeSchema(_ type: SchemaType, description: String?) -> JSONObject {
        var s = JSONObject()
        func describe() { if let description { s["description"] = .string(description) } }
        switch type {
        case .string(let format, let enumValues):
            describe()
            s["type"] = "string"
            if let format { s["format"] = .string(format) }
            if let enumValues { s["enum"] = .array(enumValues.map { .string($0) }) }
        case .bytes:
            describe()
            s["type"] = "string"
            s["format"] = "byte"
        case .int32, .int64:
            describe()
            s["type"] = "integer"
            s["format"] = type == .int32 ? "int32" : "int64"
        case .number:
            describe()
            s["type"] = "number"
            s["format"] = "double"
        case .boolean:
            describe()
            s["type"] = "boolean"
        case .quantity:
            return reference(Self.quantityName, description: description)
        case .intOrString:
            return reference(Self.intOrStringName, description: description)
        case .time, .microTime:
            describe()
            s["type"] = "string"
            s["format"] = "date-time"
        case .duration:
            describe()
            s["type"] = "string"
        case .any:
            describe()
            s["type"] = "object"
            s["x-kubernetes-preserve-unknown-fields"] = true
        case .ref(let name):
            return reference(name, description: description)
        case .array(let element):
            describe()
            s["type"] = "array"
            s["items"] = .object(typeSchema(element, description: nil))
        case .map(let element):
            describe()
            s["type"] = "object"
            s["additionalProperties"] = .object(typeSchema(element, description: nil))
        }
        return s
    }

    /// A reference to a component; one the catalog lacks becomes an open object, so that the
    /// document never holds a dangling `$ref`.
    func reference(_ name: String, description: String?) -> JSONObject {
        let known = Self.builtins[name] != nil || schemas.definition(name) != nil
        guard known else {
            var s: JSONObject = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            if let description { s["description"] = .string(description) }
            return s
        }
        let ref: JSON = ["$ref": .string(Self.refPrefix + name)]
        guard let description else { return ref.object! }
        return ["allOf": [ref], "description": .string(description)]
    }
}
