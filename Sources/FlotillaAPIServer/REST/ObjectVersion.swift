import FlotillaCore
import FlotillaStore

/// One version of an object as the server handles it: its stored bytes, the revision it was
/// stored at (nil for a dry run), and its parsed form when the server has it.
struct ObjectVersion: Sendable {
    /// The compact JSON as stored, without `metadata.resourceVersion`.
    var stored: [UInt8]
    var revision: Int64?
    private var parsed: JSON?

    init(stored: [UInt8], revision: Int64?, parsed: JSON? = nil) {
        self.stored = stored
        self.revision = revision
        self.parsed = parsed
    }

    init(_ kv: KeyValue) {
        self.init(stored: kv.value, revision: kv.modRevision)
    }

    /// The bytes served to clients, with `metadata.resourceVersion` when stored.
    var servedBytes: [UInt8] {
        guard let revision else { return stored }
        return StoredObject.servedBytes(stored, revision: revision)
    }

    /// The object as served, with `metadata.resourceVersion` when stored.
    func object() throws -> JSON {
        var object = try parsed ?? JSONParser.parse(stored)
        if let revision {
            object = StoredObject.canonical(object, resourceVersion: revision)
        }
        return object
    }
}
