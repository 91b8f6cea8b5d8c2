import FlotillaCore
import Foundation

/// The JSON encodings of etcd's v3 gateway: keys and values in base64, 64-bit integers as
/// decimal strings, absent fields meaning zero, false or empty.
enum EtcdWire {
    static func base64(_ bytes: [UInt8]) -> JSON {
        .string(Data(bytes).base64EncodedString())
    }

    static func base64(_ text: String) -> JSON {
        base64(Array(text.utf8))
    }

    static func int64(_ value: Int64) -> JSON {
        .string(String(value))
    }

    /// An int64 field, sent as a string (or occasionally a number); absent means 0.
    static func int64(_ json: JSON) throws -> Int64 {
        switch json {
        case .null: return 0
        case .string(let text):
            guard let value = Int64(text) else { throw malformed("integer \"\(text)\"") }
            return value
        default:
            guard let value = json.int else { throw malformed("integer \(json.jsonText)") }
            return value
        }
    }

    /// A base64 field; absent means empty.
    static func bytes(_ json: JSON) throws -> [UInt8] {
        switch json {
        case .null: return []
        case .string(let text):
            guard let data = Data(base64Encoded: text) else { throw malformed("base64 \"\(text)\"") }
            return Array(data)
        default: throw malformed("base64 \(json.jsonText)")
        }
    }

    /// A `mvccpb.KeyValue` object.
    static func keyValue(_ json: JSON) throws -> KeyValue {
        KeyValue(
            key: String(decoding: try bytes(json["key"]), as: UTF8.self),
            value: try bytes(json["value"]),
            createRevision: try int64(json["create_revision"]),
            modRevision: try int64(json["mod_revision"]))
    }

    /// The `header.revision` of a response.
    static func revision(_ response: JSON) throws -> Int64 {
        try int64(response[path: ["header", "revision"]])
    }

    static func malformed(_ what: String) -> FlotillaError {
        FlotillaError(.internalError, "etcd sent a malformed \(what)")
    }

    /// A txn compare clause on `key`: `target` (`CREATE`, `MOD`) `result` (`EQUAL`, `GREATER`) `revision`.
    static func compare(_ key: String, target: String, result: String, revision: Int64) -> JSON {
        let field = target == "CREATE" ? "create_revision" : "mod_revision"
        return ["key": base64(key), "target": .string(target), "result": .string(result), field: int64(revision)]
    }

    /// The compare clause for "key exists" (nil) or "key is at `expected`".
    static func precondition(_ key: String, expectedRevision: Int64?) -> JSON {
        if let expected = expectedRevision {
            return compare(key, target: "MOD", result: "EQUAL", revision: expected)
        }
        return compare(key, target: "CREATE", result: "GREATER", revision: 0)
    }
}
