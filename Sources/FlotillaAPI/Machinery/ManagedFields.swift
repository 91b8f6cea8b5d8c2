import FlotillaCore

/// Reading and writing `metadata.managedFields`.
enum ManagedFields {
    /// One `ManagedFieldsEntry`.
    struct Entry: Sendable, Equatable {
        var manager: String
        /// `Apply` or `Update`.
        var operation: String
        var apiVersion: String
        var time: String
        var fields: FieldSet
        var subresource: String?

        init(manager: String, operation: String, apiVersion: String, time: String, fields: FieldSet, subresource: String? = nil) {
            self.manager = manager
            self.operation = operation
            self.apiVersion = apiVersion
            self.time = time
            self.fields = fields
            self.subresource = subresource
        }

        var json: JSON {
            var o: JSONObject = [
                "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
                "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
            ]
            if let subresource { o["subresource"] = .string(subresource) }
            return .object(o)
        }
    }

    /// The entries of an object (entries in another format than FieldsV1 are skipped).
    static func entries(of object: JSON) -> [Entry] {
        (object["metadata"]["managedFields"].array ?? []).compactMap { e in
            guard let manager = e["manager"].string, e["fieldsType"].string ?? "FieldsV1" == "FieldsV1" else { return nil }
            return Entry(
                manager: manager, operation: e["operation"].string ?? "Update", apiVersion: e["apiVersion"].string ?? "",
                time: e["time"].string ?? "", fields: FieldSet(fieldsV1: e["fieldsV1"]), subresource: e["subresource"].string)
        }
    }

    /// `object` with its managedFields replaced by `entries` (removed when there are none).
    static func setting(_ entries: [Entry], on object: JSON) -> JSON {
        var out = object
        out[path: ["metadata", "managedFields"]] = entries.isEmpty ? .null : .array(entries.map(\.json))
        return out
    }
}
