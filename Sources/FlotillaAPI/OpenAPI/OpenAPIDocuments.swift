import FlotillaCore

/// The OpenAPI v3 documents of the API, generated once from ``ResourceCatalog`` and
/// ``SchemaCatalog`` and kept serialised.
///
/// - `GET /openapi/v3` serves ``index()``: `{"paths": {"api/v1": {"serverRelativeURL":
///   "/openapi/v3/api/v1?hash=H"}, "apis/apps/v1": {…}, …}}`, one entry per served
///   group-version, where H is the FNV-1a 64 hash of the document's bytes;
/// - `GET /openapi/v3/<path>` serves ``document(for:)``: OpenAPI 3.0 with the paths and
///   operations of the group-version's resources and, in `components.schemas`, every definition
///   reachable from its kinds.
///
/// kubectl needs these for `create -f`, `apply -f` and `explain`: the `fieldValidation`
/// parameter on PATCH tells it the server validates fields, the schemas give strategic merge
/// patch its merge keys, and `x-kubernetes-group-version-kind` finds a kind's schema.
public struct OpenAPIDocuments: Sendable {
    /// The documents of the built-in catalogs.
    public static let shared = OpenAPIDocuments()

    /// Document bytes by path (`api/v1`, `apis/apps/v1`).
    private let documents: [String: [UInt8]]
    /// Document hashes by path.
    private let hashes: [String: String]
    private let indexBytes: [UInt8]
    /// Definitions that some field refers to but the catalog lacks (written as open objects).
    public let missingDefinitions: [String]

    public init(resources: ResourceCatalog = .shared, schemas: SchemaCatalog = .shared) {
        var definitionByKind: [String: String] = [:]
        for d in schemas.definitions.values.sorted(by: { $0.name < $1.name }) {
            for gvk in d.groupVersionKinds where definitionByKind["\(gvk.group)/\(gvk.version)/\(gvk.kind)"] == nil {
                definitionByKind["\(gvk.group)/\(gvk.version)/\(gvk.kind)"] = d.name
            }
        }
        let writer = OpenAPISchemaWriter(schemas: schemas)
        var documents: [String: [UInt8]] = [:]
        var hashes: [String: String] = [:]
        var index = JSONObject()
        var missing = Set<String>()
        for (group, version) in resources.groupVersions {
            let members = resources.all.filter { $0.group == group && $0.version == version }
            let path = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
            let (document, lacking) = Self.document(
                title: path, resources: members, schemas: schemas, writer: writer, definitionByKind: definitionByKind)
            missing.formUnion(lacking)
            let bytes = document.serialized()
            let hash = FNV1a.hex64(bytes)
            documents[path] = bytes
            hashes[path] = hash
            index[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")]
        }
        self.documents = documents
        self.hashes = hashes
        self.indexBytes = JSON.object(["paths": .object(index)]).serialized()
        self.missingDefinitions = missing.sorted()
    }

    /// The JSON of `GET /openapi/v3`.
    public func index() -> [UInt8] { indexBytes }

    /// The JSON document of one group-version path (`api/v1`, `apis/apps/v1`), or nil.
    public func document(for path: String) -> [UInt8]? { documents[path] }

    /// The hash in the index's URL for `path`; a reply to a request carrying this hash may be
    /// cached for good.
    public func hash(for path: String) -> String? { hashes[path] }

    /// The paths of all documents, in index order.
    public var paths: [String] { Array(documents.keys).sorted() }

    private static func document(
        title: String, resources: [ResourceDefinition], schemas: SchemaCatalog, writer: OpenAPISchemaWriter,
        definitionByKind: [String: String]
    ) -> (JSON, [String]) {
        let pathWriter = OpenAPIPathWriter(resources: resources, schemas: schemas, definitionByKind: definitionByKind)
        var roots: [String] = [
            "io.k8s.apimachinery.pkg.apis.meta.v1.Status", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        ]
        for r in resources {
            roots.append(r.schema)
            roots.append(r.schema + "List")
            for sub in r.subresources {
                if let name = definitionByKind["\(sub.kind.group)/\(sub.kind.version)/\(sub.kind.kind)"] {
                    roots.append(name)
                }
            }
        }
        // Status, DeleteOptions and the list kinds are optional roots: only those that exist.
        let optional = Set(roots.filter { schemas.definition($0) == nil && !resources.map(\.schema).contains($0) })
        let (names, missing) = writer.reachable(from: roots.filter { !optional.contains($0) })

        var components = JSONObject()
        var builtins: Set<String> = [OpenAPISchemaWriter.patchName]
        for name in names {
            guard let definition = schemas.definition(name) else { continue }
            components[name] = writer.component(definition)
            builtins.formUnion(OpenAPISchemaWriter.builtinComponents(of: definition))
        }
        for name in builtins where components[name] == nil { components[name] = OpenAPISchemaWriter.builtins[name] }
        let sorted = JSONObject(uniqueKeysWithValues: components.sorted { $0.key < $1.key })

        let document: JSON = [
            "openapi": "3.0.0",
            "info": ["title": "Flotilla", "version": "v1.32.0"],
            "paths": .object(pathWriter.paths()),
            "components": ["schemas": .object(sorted)],
        ]
        return (document, missing)
    }
}
