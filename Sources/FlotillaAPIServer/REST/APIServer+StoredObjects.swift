import FlotillaCore
import FlotillaStore

/// Reading and writing single stored objects through the server's ``ParsedObjectMemo``, so that
/// a version the server wrote or already parsed is not parsed again by the next update of the
/// same object or by the watches that see it.
extension APIServer {
    /// The parsed object of a stored key, with `metadata.resourceVersion` set from its revision.
    func storedObject(_ kv: KeyValue) throws -> JSON {
        var object = try parsedObjects.object(key: kv.key, bytes: kv.value)
        object[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
        return object
    }

    /// The bytes to store under `key` for `object` (``StoredObject/storageBytes(_:)``), with
    /// their parsed form remembered for whoever reads them next.
    func storageBytes(_ object: JSON, key: String) -> [UInt8] {
        let stored = StoredObject.canonical(object, resourceVersion: nil)
        let bytes = stored.serialized()
        parsedObjects.remember(stored, key: key, bytes: bytes)
        return bytes
    }
}
