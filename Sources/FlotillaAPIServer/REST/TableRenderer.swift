import FlotillaAPI
import FlotillaCore
import Foundation

/// Renders objects as a `meta.k8s.io` Table for `kubectl get`: the NAME column, then the
/// resource's columns, one row per object.
///
/// A resource that places the name itself (a column of format `name` among its own, as events
/// have NAME last and only with `-o wide`) gets no leading NAME column.
struct TableRenderer: Sendable {
    /// What each row carries besides its cells (`includeObject`).
    enum IncludeObject: String, Sendable {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    var resource: ResourceDefinition
    var version: String
    var include: IncludeObject
    var now: Date

    init(resource: ResourceDefinition, version: String, request: APIRequest, now: Date = Date()) throws {
        self.resource = resource
        self.version = version
        self.now = now
        let raw = request.queryValue("includeObject") ?? ""
        guard let include = raw.isEmpty ? .metadata : IncludeObject(rawValue: raw) else {
            throw FlotillaError(.badRequest, "includeObject: Unsupported value: \"\(raw)\": supported values: \"None\", \"Metadata\", \"Object\"")
        }
        self.include = include
    }

    /// Whether the table starts with the NAME column: unless the resource's columns include
    /// one of format `name`.
    var leadsWithName: Bool { !resource.columns.contains { $0.format == "name" } }

    /// The column definitions: NAME first (see ``leadsWithName``), then the resource's.
    var columnDefinitions: JSON {
        var columns: [JSON] = []
        if leadsWithName {
            columns.append([
                "name": "Name", "type": "string", "format": "name",
                "description": "The name of the object, unique within its namespace.", "priority": 0,
            ])
        }
        for c in resource.columns {
            columns.append([
                "name": .string(c.name), "type": .string(c.type), "format": .string(c.format),
                "description": .string(c.description), "priority": .int(Int64(c.priority)),
            ])
        }
        return .array(columns)
    }

    /// One row for `object`.
    func row(_ object: JSON) -> JSON {
        var cells: [JSON] = leadsWithName ? [.string(object["metadata"]["name"].string ?? "")] : []
        for c in resource.columns { cells.append(c.cell(object, now)) }
        var row: JSONObject = ["cells": .array(cells)]
        switch include {
        case .none: break
        case .metadata: row["object"] = Self.partialMetadata(object, version: version)
        case .object: row["object"] = object
        }
        return .object(row)
    }

    /// A Table of `objects`, with list metadata.
    func table(_ objects: [JSON], resourceVersion: String?, continueToken: String? = nil, remaining: Int64? = nil) -> JSON {
        var metadata = JSONObject()
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken, !continueToken.isEmpty { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .int(remaining) }
        return [
            "kind": "Table", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": .object(metadata),
            "columnDefinitions": columnDefinitions, "rows": .array(objects.map(row)),
        ]
    }

    /// `PartialObjectMetadata` of an object: its metadata only.
    static func partialMetadata(_ object: JSON, version: String) -> JSON {
        ["kind": "PartialObjectMetadata", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": object["metadata"]]
    }

    /// `PartialObjectMetadataList` of objects.
    static func partialMetadataList(_ objects: [JSON], version: String, metadata: JSON) -> JSON {
        [
            "kind": "PartialObjectMetadataList", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": metadata,
            "items": .array(objects.map { partialMetadata($0, version: version) }),
        ]
    }
}
