import FlotillaAPI
import FlotillaCore
import Testing

/// A small catalog exercising every schema type and a dangling reference.
private enum OpenAPITestCatalog {
    static let widget = Definition(
        "io.example.v1.Widget", "A widget.", gvk: [GroupVersionKind("example.io", "v1", "Widget")],
        fields: [
            Field("apiVersion", 0, .string(), "Version."),
            Field("metadata", 1, .ref("io.example.v1.Meta"), "Metadata."),
            Field("spec", 2, .ref("io.example.v1.WidgetSpec")),
        ])
    static let meta = Definition("io.example.v1.Meta", "Metadata.", fields: [
        Field("name", 1, .string(), "Name.", required: true),
        Field("created", 2, .time, "Created."),
    ])
    static let spec = Definition("io.example.v1.WidgetSpec", "What a widget should be.", fields: [
        Field("count", 1, .int32, "Count.", required: true),
        Field("big", 2, .int64),
        Field("ratio", 3, .number),
        Field("blob", 4, .bytes),
        Field("size", 5, .quantity, "Size."),
        Field("port", 6, .intOrString, "Port."),
        Field("mode", 7, .string(enumValues: ["A", "B"])),
        Field("parts", 8, .array(.ref("io.example.v1.Part")), "Parts.",
              patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"]),
        Field("limits", 9, .map(.quantity)),
        Field("ghost", 10, .ref("io.example.v1.Ghost"), "Nobody defined it."),
        Field("raw", 11, .any),
        Field("every", 12, .duration),
    ])
    static let part = Definition("io.example.v1.Part", fields: [Field("name", 1, .string(), required: true)])

    static let schemas = SchemaCatalog([widget, meta, spec, part])
    static let resources = ResourceCatalog([
        ResourceDefinition(
            group: "example.io", version: "v1", kind: "Widget", plural: "widgets", namespaced: true,
            subresources: [.init("status", kind: GroupVersionKind("example.io", "v1", "Widget"), verbs: ["get", "patch", "update"])],
            schema: widget.name)
    ])
    static let documents = OpenAPIDocuments(resources: resources, schemas: schemas)

    static func document() throws -> JSON {
        try JSONParser.parse(try #require(documents.document(for: "apis/example.io/v1")))
    }
}

/// Every `$ref` in a value.
private func references(in value: JSON) -> [String] {
    switch value {
    case .object(let o):
        var refs: [String] = []
        for (k, v) in o {
            if k == "$ref", let s = v.string { refs.append(s) } else { refs += references(in: v) }
        }
        return refs
    case .array(let a): return a.flatMap(references(in:))
    default: return []
    }
}

@Suite("OpenAPIDocuments")
struct OpenAPIDocumentsTests {
    @Test func componentSchemas() throws {
        let doc = try OpenAPITestCatalog.document()
        #expect(doc["openapi"] == "3.0.0")
        let schemas = doc[path: ["components", "schemas"]]
        let widget = schemas["io.example.v1.Widget"]
        #expect(widget["type"] == "object")
        #expect(widget["description"] == "A widget.")
        #expect(widget["x-kubernetes-group-version-kind"] == [["group": "example.io", "kind": "Widget", "version": "v1"]])
        #expect(widget[path: ["properties", "metadata"]] == ["allOf": [["$ref": "#/components/schemas/io.example.v1.Meta"]], "description": "Metadata."])
        #expect(widget[path: ["properties", "spec"]] == ["$ref": "#/components/schemas/io.example.v1.WidgetSpec"])

        let spec = schemas["io.example.v1.WidgetSpec"]
        #expect(spec["required"] == ["count"])
        let p = spec["properties"]
        #expect(p["count"] == ["description": "Count.", "type": "integer", "format": "int32"])
        #expect(p["big"] == ["type": "integer", "format": "int64"])
        #expect(p["ratio"] == ["type": "number", "format": "double"])
        #expect(p["blob"] == ["type": "string", "format": "byte"])
        #expect(p["size"] == ["allOf": [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"]], "description": "Size."])
        #expect(p["port"]["allOf"] == [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"]])
        #expect(p["mode"] == ["type": "string", "enum": ["A", "B"]])
        #expect(p["parts"]["type"] == "array")
        #expect(p["parts"]["items"] == ["$ref": "#/components/schemas/io.example.v1.Part"])
        #expect(p["parts"]["x-kubernetes-patch-merge-key"] == "name")
        #expect(p["parts"]["x-kubernetes-patch-strategy"] == "merge")
        #expect(p["parts"]["x-kubernetes-list-type"] == "map")
        #expect(p["parts"]["x-kubernetes-list-map-keys"] == ["name"])
        #expect(p["limits"] == ["type": "object", "additionalProperties": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"]])
        #expect(p["raw"]["x-kubernetes-preserve-unknown-fields"] == true)
        #expect(p["every"] == ["type": "string"])
        #expect(schemas["io.example.v1.Meta"][path: ["properties", "created"]] == ["description": "Created.", "type": "string", "format": "date-time"])
        #expect(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["x-kubernetes-int-or-string"] == true)
        #expect(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]["oneOf"] == [["type": "string"], ["type": "number"]])
    }

    @Test func danglingReferenceIsReportedAndNotEmitted() throws {
        let doc = try OpenAPITestCatalog.document()
        #expect(OpenAPITestCatalog.documents.missingDefinitions == ["io.example.v1.Ghost"])
        let ghost = doc[path: ["components", "schemas", "io.example.v1.WidgetSpec", "properties", "ghost"]]
        #expect(ghost == ["type": "object", "x-kubernetes-preserve-unknown-fields": true, "description": "Nobody defined it."])
    }

    @Test func pathsAndOperations() throws {
        let paths = try OpenAPITestCatalog.document()["paths"]
        let collection = paths["/apis/example.io/v1/namespaces/{namespace}/widgets"]
        #expect(collection["get"]["x-kubernetes-action"] == "list")
        #expect(collection["post"]["x-kubernetes-action"] == "post")
        #expect(collection["delete"]["x-kubernetes-action"] == "deletecollection")
        #expect(collection["parameters"][0]["name"] == "namespace")
        let item = paths["/apis/example.io/v1/namespaces/{namespace}/widgets/{name}"]
        for (method, action) in [("get", "get"), ("put", "put"), ("patch", "patch"), ("delete", "delete")] {
            #expect(item[method]["x-kubernetes-action"] == .string(action))
            #expect(item[method]["x-kubernetes-group-version-kind"] == ["group": "example.io", "kind": "Widget", "version": "v1"])
        }
        #expect(paths["/apis/example.io/v1/widgets"]["get"]["operationId"] == "listExampleIoV1WidgetForAllNamespaces")
        #expect(paths["/apis/example.io/v1/namespaces/{namespace}/widgets/{name}/status"]["patch"]["x-kubernetes-action"] == "patch")
        #expect(item["patch"]["operationId"] == "patchExampleIoV1NamespacedWidget")
    }

    @Test func unknownDocumentIsNil() {
        #expect(OpenAPITestCatalog.documents.document(for: "apis/nope/v1") == nil)
        #expect(OpenAPITestCatalog.documents.document(for: "") == nil)
    }

    @Test func generationIsDeterministic() {
        let again = OpenAPIDocuments(resources: OpenAPITestCatalog.resources, schemas: OpenAPITestCatalog.schemas)
        #expect(again.index() == OpenAPITestCatalog.documents.index())
        #expect(again.document(for: "apis/example.io/v1") == OpenAPITestCatalog.documents.document(for: "apis/example.io/v1"))
    }
}

@Suite("OpenAPIDocuments of the built-in catalogs")
struct BuiltinOpenAPIDocumentsTests {
    let documents = OpenAPIDocuments.shared

    @Test func indexListsEveryGroupVersionWithItsHash() throws {
        let index = try JSONParser.parse(documents.index())
        let paths = try #require(index["paths"].object)
        let expected = ResourceCatalog.shared.groupVersions.map { $0.group.isEmpty ? "api/\($0.version)" : "apis/\($0.group)/\($0.version)" }
        #expect(Array(paths.keys) == expected)
        #expect(expected.contains("api/v1") && expected.contains("apis/apps/v1"))
        for path in expected {
            let hash = try #require(documents.hash(for: path))
            #expect(paths[path]?["serverRelativeURL"] == .string("/openapi/v3/\(path)?hash=\(hash)"))
            #expect(hash.count == 16)
            #expect(documents.document(for: path) != nil)
        }
    }

    @Test func deploymentPatchCarriesFieldValidationAndKind() throws {
        let doc = try JSONParser.parse(try #require(documents.document(for: "apis/apps/v1")))
        let patch = doc[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"]]
        #expect(patch["x-kubernetes-group-version-kind"] == ["group": "apps", "kind": "Deployment", "version": "v1"])
        #expect(patch["x-kubernetes-action"] == "patch")
        let names = (patch["parameters"].array ?? []).compactMap { $0["name"].string }
        #expect(Set(names).isSuperset(of: ["fieldValidation", "dryRun", "fieldManager", "force"]))
        let content = try #require(patch[path: ["requestBody", "content"]].object)
        #expect(Set(content.keys) == [
            "application/json-patch+json", "application/merge-patch+json",
            "application/strategic-merge-patch+json", "application/apply-patch+yaml",
        ])
        for (_, media) in content {
            #expect(media["schema"] == ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"])
        }
        let deployment = doc[path: ["components", "schemas", "io.k8s.api.apps.v1.Deployment"]]
        #expect(deployment["x-kubernetes-group-version-kind"] == [["group": "apps", "kind": "Deployment", "version": "v1"]])
        let scale = doc[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch"]]
        #expect(scale["x-kubernetes-group-version-kind"] == ["group": "autoscaling", "kind": "Scale", "version": "v1"])
    }

    @Test func containersHaveTheirMergeKey() throws {
        for path in ["api/v1", "apis/apps/v1", "apis/batch/v1"] {
            let doc = try JSONParser.parse(try #require(documents.document(for: path)))
            let containers = doc[path: ["components", "schemas", "io.k8s.api.core.v1.PodSpec", "properties", "containers"]]
            #expect(containers["x-kubernetes-patch-merge-key"] == "name", "\(path)")
            #expect(containers["x-kubernetes-patch-strategy"] == "merge", "\(path)")
            #expect(containers["items"] == ["$ref": "#/components/schemas/io.k8s.api.core.v1.Container"], "\(path)")
        }
    }

    @Test func everyReferenceResolvesInsideItsDocument() throws {
        #expect(documents.missingDefinitions == [])
        for path in documents.paths {
            let doc = try JSONParser.parse(try #require(documents.document(for: path)))
            let schemas = try #require(doc[path: ["components", "schemas"]].object)
            let refs = Set(references(in: doc))
            #expect(!refs.isEmpty)
            for ref in refs {
                #expect(ref.hasPrefix("#/components/schemas/"), "\(path): \(ref)")
                #expect(schemas[String(ref.dropFirst("#/components/schemas/".count))] != nil, "\(path): \(ref)")
            }
        }
    }

    @Test func everyServedKindHasItsSchema() throws {
        for r in ResourceCatalog.shared.all {
            let path = r.group.isEmpty ? "api/\(r.version)" : "apis/\(r.group)/\(r.version)"
            let doc = try JSONParser.parse(try #require(documents.document(for: path)))
            let schema = doc[path: ["components", "schemas", r.schema]]
            #expect(schema["x-kubernetes-group-version-kind"].array?.contains(["group": .string(r.group), "kind": .string(r.kind), "version": .string(r.version)]) == true, "\(r.kind)")
        }
    }
}
