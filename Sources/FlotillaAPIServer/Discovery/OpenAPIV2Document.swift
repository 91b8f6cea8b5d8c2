import FlotillaCore

/// `/openapi/v2`: an OpenAPI v2 document with no definitions.
///
/// Flotilla describes its schemas in OpenAPI v3, which kubectl uses for validation and
/// `explain`. kubectl still reads v2 in one place: to validate a `kind: List` on the client
/// (a List has no REST path, so kubectl cannot ask the server to validate it). With no
/// definitions kubectl leaves that client-side check to the server, which validates each item
/// when it is created or patched. kubectl asks for the document in protobuf (gnostic's
/// `openapi.v2.Document`); other clients get JSON.
enum OpenAPIV2Document {
    /// kubectl asks with `…spec.v2@v1.0+protobuf`, but Go cannot parse an `@` in a reply's media type,
    /// so the reply names it with a dot, as Kubernetes does.
    static let protobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    /// The document as protobuf: swagger (1), info (2: title 1, version 2), paths (8), definitions (9).
    static var protobuf: [UInt8] {
        let info = field(1, Array("Flotilla".utf8)) + field(2, Array(FlotillaVersion.gitVersion.utf8))
        return field(1, Array("2.0".utf8)) + field(2, info) + field(8, []) + field(9, [])
    }

    static var json: [UInt8] {
        JSON.object([
            "swagger": "2.0", "info": ["title": "Flotilla", "version": .string(FlotillaVersion.gitVersion)],
            "paths": .emptyObject, "definitions": .emptyObject,
        ]).serialized()
    }

    /// Whether the Accept header asks for protobuf.
    static func wantsProtobuf(accept: String?) -> Bool {
        (accept ?? "").contains("application/com.github.proto-openapi.spec.v2")
    }

    /// A length-delimited field (wire type 2).
    private static func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}
