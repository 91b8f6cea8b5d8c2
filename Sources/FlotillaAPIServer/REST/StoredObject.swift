import FlotillaCore
import FlotillaStore

/// How objects travel between the store and the wire.
///
/// The store holds each object's compact JSON without `metadata.resourceVersion`, which is the
/// key's modRevision. Serving an object splices the version into the stored bytes, so a get, a
/// list or a watch event does not parse and re-serialise the object.
enum StoredObject {
    /// The bytes to store for `object`: top-level members `apiVersion`, `kind`, `metadata` first,
    /// and no `metadata.resourceVersion`.
    static func storageBytes(_ object: JSON) -> [UInt8] {
        canonical(object, resourceVersion: nil).serialized()
    }

    /// `object` with `apiVersion`, `kind`, `metadata` first and `metadata.resourceVersion` set
    /// (or removed when `resourceVersion` is nil).
    static func canonical(_ object: JSON, resourceVersion: Int64?) -> JSON {
        guard case .object(let members) = object else { return object }
        var out = JSONObject(minimumCapacity: members.count)
        if let v = members["apiVersion"] { out["apiVersion"] = v }
        if let v = members["kind"] { out["kind"] = v }
        var metadata = members["metadata"]?.object ?? [:]
        metadata.removeValue(forKey: "resourceVersion")
        if let resourceVersion {
            var withVersion = JSONObject(minimumCapacity: metadata.count + 1)
            for (k, v) in metadata {
                withVersion[k] = v
                if k == "uid" || (k == "namespace" && metadata["uid"] == nil) {
                    withVersion["resourceVersion"] = .string(String(resourceVersion))
                }
            }
            if withVersion["resourceVersion"] == nil { withVersion["resourceVersion"] = .string(String(resourceVersion)) }
            metadata = withVersion
        }
        out["metadata"] = .object(metadata)
        for (k, v) in members where k != "apiVersion" && k != "kind" && k != "metadata" { out[k] = v }
        return .object(out)
    }

    /// The parsed object of a stored key, with `metadata.resourceVersion` set from its revision.
    static func decode(_ kv: KeyValue) throws -> JSON {
        var object = try JSONParser.parse(kv.value)
        object[path: ["metadata", "resourceVersion"]] = .string(String(kv.modRevision))
        return object
    }

    /// The stored bytes of an object with `"resourceVersion":"<revision>"` inserted as the first
    /// member of its top-level `metadata`.
    static func servedBytes(_ stored: [UInt8], revision: Int64) -> [UInt8] {
        let member = Array("\"resourceVersion\":\"\(revision)\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(stored.count + member.count + 16)
        guard let position = metadataObjectStart(stored) else {
            // No metadata object: add one after the opening brace.
            guard let open = stored.firstIndex(of: UInt8(ascii: "{")) else { return stored }
            out.append(contentsOf: stored[...open])
            out.append(contentsOf: Array("\"metadata\":{".utf8))
            out.append(contentsOf: member)
            out.append(UInt8(ascii: "}"))
            let rest = stored[(open + 1)...]
            if let next = rest.first(where: { !isSpace($0) }), next != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: rest)
            return out
        }
        out.append(contentsOf: stored[...position])
        out.append(contentsOf: member)
        let rest = stored[(position + 1)...]
        if let next = rest.first(where: { !isSpace($0) }), next != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: rest)
        return out
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// The index of the `{` that opens the top-level `metadata` member, if there is one.
    private static func metadataObjectStart(_ b: [UInt8]) -> Int? {
        var i = 0
        func skipSpace() { while i < b.count, isSpace(b[i]) { i += 1 } }
        func skipString() -> Bool {
            // b[i] is the opening quote.
            i += 1
            while i < b.count {
                if b[i] == UInt8(ascii: "\\") { i += 2; continue }
                if b[i] == UInt8(ascii: "\"") { i += 1; return true }
                i += 1
            }
            return false
        }
        func skipValue() -> Bool {
            skipSpace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: "\"") { return skipString() }
            if b[i] == UInt8(ascii: "{") || b[i] == UInt8(ascii: "[") {
                var depth = 0
                while i < b.count {
                    let c = b[i]
                    if c == UInt8(ascii: "\"") { if !skipString() { return false }; continue }
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                    if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { i += 1; return true }
                    }
                    i += 1
                }
                return false
            }
            while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}") { i += 1 }
            return true
        }
        let metadataKey = Array("\"metadata\"".utf8)
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        while i < b.count {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i
            guard skipString() else { return nil }
            let isMetadata = i - keyStart == metadataKey.count && b[keyStart..<i].elementsEqual(metadataKey)
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            if isMetadata {
                return i < b.count && b[i] == UInt8(ascii: "{") ? i : nil
            }
            guard skipValue() else { return nil }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
        return nil
    }
}
