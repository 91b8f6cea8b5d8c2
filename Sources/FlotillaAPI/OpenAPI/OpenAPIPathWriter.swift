import FlotillaCore

/// Writes the `paths` of a group-version's OpenAPI document: for each resource its collection
/// and item paths (and, for namespaced kinds, the all-namespaces list) with the operations its
/// verbs allow, and its subresources.
///
/// Every operation carries `x-kubernetes-action` and `x-kubernetes-group-version-kind`; writes
/// take `dryRun`, `fieldManager` and `fieldValidation` (kubectl reads the presence of
/// `fieldValidation` to decide that the server validates fields), PATCH also `force` and lists
/// the four patch content types.
struct OpenAPIPathWriter {
    let resources: [ResourceDefinition]
    let schemas: SchemaCatalog
    /// Definition names by `group/version/kind`, for subresource kinds such as Scale.
    let definitionByKind: [String: String]

    /// The `paths` object.
    func paths() -> JSONObject {
        var paths = JSONObject()
        for r in resources {
            let base = r.group.isEmpty ? "/api/\(r.version)" : "/apis/\(r.group)/\(r.version)"
            let scope = r.namespaced ? "\(base)/namespaces/{namespace}/\(r.plural)" : "\(base)/\(r.plural)"
            let names = OperationNames(resource: r)
            let kindRef = schemas.definition(r.schema) != nil ? r.schema : nil
            let listRef = schemas.definition(r.schema + "List") != nil ? r.schema + "List" : nil
            let gvk = r.groupVersionKind
            let scopeParameters = r.namespaced ? [Self.namespaceParameter] : []

            var collection = JSONObject()
            if r.verbs.contains("list") {
                collection["get"] = operation(
                    "list\(names.scoped)", "list or watch objects of kind \(r.kind)", action: "list", gvk: gvk,
                    parameters: Self.listParameters, responses: ["200": response(listRef)])
            }
            if r.verbs.contains("create") {
                collection["post"] = operation(
                    "create\(names.scoped)", "create a \(r.kind)", action: "post", gvk: gvk,
                    parameters: Self.writeParameters, body: body(kindRef),
                    responses: ["200": response(kindRef), "201": response(kindRef), "202": response(kindRef)])
            }
            if r.verbs.contains("deletecollection") {
                collection["delete"] = operation(
                    "delete\(names.collection)", "delete a collection of \(r.kind)", action: "deletecollection",
                    gvk: gvk, parameters: Self.deleteParameters + Self.listParameters.filter { $0["name"] != "watch" },
                    body: deleteBody(), responses: ["200": response(statusRef)])
            }
            if !collection.isEmpty {
                collection["parameters"] = .array(scopeParameters + [Self.prettyParameter])
                paths[scope] = .object(collection)
            }

            var item = JSONObject()
            if r.verbs.contains("get") {
                item["get"] = operation(
                    "read\(names.scoped)", "read the specified \(r.kind)", action: "get", gvk: gvk,
                    responses: ["200": response(kindRef)])
            }
            if r.verbs.contains("update") {
                item["put"] = operation(
                    "replace\(names.scoped)", "replace the specified \(r.kind)", action: "put", gvk: gvk,
                    parameters: Self.writeParameters, body: body(kindRef),
                    responses: ["200": response(kindRef), "201": response(kindRef)])
            }
            if r.verbs.contains("patch") {
                item["patch"] = operation(
                    "patch\(names.scoped)", "partially update the specified \(r.kind)", action: "patch", gvk: gvk,
                    parameters: Self.patchParameters, body: patchBody(),
                    responses: ["200": response(kindRef), "201": response(kindRef)])
            }
            if r.verbs.contains("delete") {
                item["delete"] = operation(
                    "delete\(names.scoped)", "delete a \(r.kind)", action: "delete", gvk: gvk,
                    parameters: Self.deleteParameters, body: deleteBody(),
                    responses: ["200": response(kindRef ?? statusRef), "202": response(kindRef ?? statusRef)])
            }
            let itemParameters = [Self.nameParameter(r.kind)] + scopeParameters + [Self.prettyParameter]
            if !item.isEmpty {
                item["parameters"] = .array(itemParameters)
                paths["\(scope)/{name}"] = .object(item)
            }

            for sub in r.subresources {
                let subPath = "\(scope)/{name}/\(sub.name)"
                paths[subPath] = .object(subresource(sub, of: r, names: names, parameters: itemParameters))
            }

            if r.namespaced, r.verbs.contains("list") {
                paths["\(base)/\(r.plural)"] = .object([
                    "get": operation(
                        "list\(names.plain)ForAllNamespaces", "list or watch objects of kind \(r.kind)", action: "list",
                        gvk: gvk, parameters: Self.listParameters, responses: ["200": response(listRef)]),
                    "parameters": [Self.prettyParameter],
                ])
            }
        }
        return paths
    }

    private var statusRef: String? {
        let name = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
        return schemas.definition(name) != nil ? name : nil
    }

    /// Operations of one subresource. `exec`, `attach`, `portforward` and `proxy` are connect
    /// actions; the others read and write the subresource's kind.
    private func subresource(
        _ sub: ResourceDefinition.Subresource, of r: ResourceDefinition, names: OperationNames, parameters: [JSON]
    ) -> JSONObject {
        let suffix = sub.name.prefix(1).uppercased() + sub.name.dropFirst()
        let gvk = sub.kind
        let ref = definitionByKind["\(gvk.group)/\(gvk.version)/\(gvk.kind)"]
        var ops = JSONObject()
        if ["exec", "attach", "portforward", "proxy"].contains(sub.name) {
            for (verb, method) in [("get", "get"), ("create", "post")] where sub.verbs.contains(verb) {
                ops[method] = operation(
                    "connect\(method.capitalized)\(names.scoped)\(suffix)", "connect to \(sub.name) of a \(r.kind)",
                    action: "connect", gvk: gvk, responses: ["200": ["description": "OK"]])
            }
        } else {
            if sub.verbs.contains("get") {
                ops["get"] = operation(
                    "read\(names.scoped)\(suffix)", "read \(sub.name) of the specified \(r.kind)", action: "get", gvk: gvk,
                    responses: ["200": response(ref)])
            }
            if sub.verbs.contains("update") {
                ops["put"] = operation(
                    "replace\(names.scoped)\(suffix)", "replace \(sub.name) of the specified \(r.kind)", action: "put",
                    gvk: gvk, parameters: Self.writeParameters, body: body(ref),
                    responses: ["200": response(ref), "201": response(ref)])
            }
            if sub.verbs.contains("patch") {
                ops["patch"] = operation(
                    "patch\(names.scoped)\(suffix)", "partially update \(sub.name) of the specified \(r.kind)",
                    action: "patch", gvk: gvk, parameters: Self.patchParameters, body: patchBody(),
                    responses: ["200": response(ref), "201": response(ref)])
            }
            if sub.verbs.contains("create") {
                ops["post"] = operation(
                    "create\(names.scoped)\(suffix)", "create \(sub.name) of a \(r.kind)", action: "post", gvk: gvk,
                    parameters: Self.writeParameters, body: body(ref),
                    responses: ["200": response(ref), "201": response(ref), "202": response(ref)])
            }
        }
        ops["parameters"] = .array(parameters)
        return ops
    }

    // MARK: - Pieces

    private func operation(
        _ id: String, _ description: String, action: String, gvk: GroupVersionKind, parameters: [JSON] = [],
        body: JSON? = nil, responses: JSONObject
    ) -> JSON {
        var op = JSONObject()
        op["tags"] = [.string(Self.tag(gvk))]
        op["description"] = .string(description)
        op["operationId"] = .string(id)
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let body { op["requestBody"] = body }
        var all = responses
        all["401"] = ["description": "Unauthorized"]
        op["responses"] = .object(all)
        op["x-kubernetes-action"] = .string(action)
        op["x-kubernetes-group-version-kind"] = OpenAPISchemaWriter.gvkJSON(gvk)
        return .object(op)
    }

    private static func tag(_ gvk: GroupVersionKind) -> String {
        gvk.group.isEmpty ? "core_\(gvk.version)" : "\(OperationNames.camel(gvk.group, upper: false))_\(gvk.version)"
    }

    private static func ref(_ name: String) -> JSON { ["$ref": .string(OpenAPISchemaWriter.refPrefix + name)] }

    private func response(_ schema: String?) -> JSON {
        guard let schema else { return ["description": "OK"] }
        let s = Self.ref(schema)
        return ["description": "OK", "content": ["application/json": ["schema": s], "application/yaml": ["schema": s]]]
    }

    private func body(_ schema: String?) -> JSON? {
        guard let schema else { return nil }
        return ["content": ["*/*": ["schema": Self.ref(schema)]], "required": true]
    }

    private func deleteBody() -> JSON? {
        let name = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
        guard schemas.definition(name) != nil else { return nil }
        return ["content": ["*/*": ["schema": Self.ref(name)]]]
    }

    private func patchBody() -> JSON {
        let s: JSON = ["schema": Self.ref(OpenAPISchemaWriter.patchName)]
        return [
            "content": [
                "application/json-patch+json": s, "application/merge-patch+json": s,
                "application/strategic-merge-patch+json": s, "application/apply-patch+yaml": s,
            ],
            "required": true,
        ]
    }

    // MARK: - Parameters

    private static func query(_ name: String, _ description: String, type: String = "string") -> JSON {
        var schema: JSONObject = ["type": .string(type)]
        if type == "string" { schema["uniqueItems"] = true }
        return ["name": .string(name), "in": "query", "description": .string(description), "schema": .object(schema)]
    }

    static let prettyParameter = query("pretty", "If 'true', the output is pretty printed.")
    static let namespaceParameter: JSON = [
        "name": "namespace", "in": "path", "description": "object name and auth scope, such as for teams and projects",
        "required": true, "schema": ["type": "string", "uniqueItems": true],
    ]
    static func nameParameter(_ kind: String) -> JSON {
        [
            "name": "name", "in": "path", "description": .string("name of the \(kind)"), "required": true,
            "schema": ["type": "string", "uniqueItems": true],
        ]
    }

    static let dryRunParameter = query(
        "dryRun", "When present, modifications are not persisted. The only valid value is All: process every stage of the request without storing the result.")
    static let fieldManagerParameter = query(
        "fieldManager", "The name of the actor making the change, recorded in managedFields.")
    static let fieldValidationParameter = query(
        "fieldValidation",
        "How the server treats unknown and duplicate fields in the body: Ignore drops them, Warn drops them with a warning header for each, Strict rejects the request with an error naming them.")
    static let forceParameter = query(
        "force", "Force an apply request to take ownership of fields other managers own. Only for apply patches.",
        type: "boolean")

    static let writeParameters = [dryRunParameter, fieldManagerParameter, fieldValidationParameter]
    static let patchParameters = [dryRunParameter, fieldManagerParameter, fieldValidationParameter, forceParameter]
    static let deleteParameters = [
        dryRunParameter,
        query("gracePeriodSeconds", "Seconds before the object is deleted; zero deletes immediately.", type: "integer"),
        query("propagationPolicy", "Whether and how dependents are garbage collected: Orphan, Background or Foreground."),
    ]
    static let listParameters = [
        query("allowWatchBookmarks", "Ask for BOOKMARK watch events.", type: "boolean"),
        query("continue", "The token from the previous page of a paged list."),
        query("fieldSelector", "Restrict the returned objects by their fields."),
        query("labelSelector", "Restrict the returned objects by their labels."),
        query("limit", "The maximum number of objects in one page of a list.", type: "integer"),
        query("resourceVersion", "The resource version a list or watch starts from."),
        query("resourceVersionMatch", "How resourceVersion applies to a list: Exact or NotOlderThan."),
        query("sendInitialEvents", "Start a watch with synthetic events for the current objects.", type: "boolean"),
        query("timeoutSeconds", "End a list or watch call after this many seconds.", type: "integer"),
        query("watch", "Watch for changes instead of listing.", type: "boolean"),
    ]
}

/// Kubernetes-style operation id parts for one resource: `AppsV1NamespacedDeployment`.
private struct OperationNames {
    /// `AppsV1Deployment`.
    let plain: String
    /// `AppsV1NamespacedDeployment` or `CoreV1Namespace`.
    let scoped: String
    /// `AppsV1CollectionNamespacedDeployment`.
    let collection: String

    init(resource r: ResourceDefinition) {
        let gv = (r.group.isEmpty ? "Core" : Self.camel(r.group, upper: true)) + r.version.prefix(1).uppercased()
            + r.version.dropFirst()
        plain = gv + r.kind
        scoped = gv + (r.namespaced ? "Namespaced" : "") + r.kind
        collection = gv + "Collection" + (r.namespaced ? "Namespaced" : "") + r.kind
    }

    /// `rbac.authorization.k8s.io` → `RbacAuthorization` (or `rbacAuthorization`).
    static func camel(_ group: String, upper: Bool) -> String {
        var name = group
        if name.hasSuffix(".k8s.io") { name.removeLast(".k8s.io".count) }
        let parts = name.split(separator: ".")
        var out = ""
        for (n, part) in parts.enumerated() {
            out += n == 0 && !upper ? String(part) : part.prefix(1).uppercased() + part.dropFirst()
        }
        return out
    }
}
