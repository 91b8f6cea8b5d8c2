import FlotillaCore
import Foundation

/// The JSON encodings of etcd's v3 gateway (which the watch speaks): keys and values in base64, 64-bit integers as
/// decimal strings, absent fields meaning zero, false or empty.
enum EtcdWire {
    static func base64(_ bytes: [UInt8]) -> JSON {
        .string(Data(bytes).base64EncodedString())
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

    static func malformed(_ what: String) -> FlotillaError {
        FlotillaError(.internalError, "etcd sent a malformed \(what)")
    }
}
