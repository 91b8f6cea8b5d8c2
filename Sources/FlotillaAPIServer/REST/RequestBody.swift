import FlotillaAPI
import Foundation
import FlotillaCore

/// A request body decoded into the JSON the API serves, with the paths of duplicate fields.
struct DecodedBody: Sendable {
    var object: JSON
    var duplicates: [String]
}

/// Decodes request bodies by their `Content-Type`: JSON (also when there is none), YAML and
/// Kubernetes protobuf.
enum RequestBody {
    /// The media type of the body, lowercased, without parameters.
    static func mediaType(_ request: APIRequest) -> String {
        guard let raw = request.header("content-type") else { return "" }
        return MediaType.base(of: raw)
    }

    /// The body of a create, update or subresource write, which must be one object.
    static func decodeObject(_ request: APIRequest, protobuf: ProtobufRequestDecoder) throws -> DecodedBody {
        let decoded: DecodedBody
        switch mediaType(request) {
        case "", "application/json", "*/*":
            decoded = try request.object.map { DecodedBody(object: $0, duplicates: []) } ?? decodeJSON(request.body)
        case "application/yaml", "application/x-yaml", "text/yaml":
            decoded = DecodedBody(object: try YAMLCodec.document(request.body), duplicates: [])
        case ProtobufRequestDecoder.contentType:
            decoded = DecodedBody(object: try protobuf.decode(request.body).object, duplicates: [])
        default:
            throw unsupportedMediaType(mediaType(request))
        }
        guard case .object = decoded.object else {
            throw FlotillaError(.badRequest, "the body of the request must be a JSON object, got \(decoded.object.typeName)")
        }
        return decoded
    }

    /// Whether the request carries a body: an object from an in-process caller, or bytes that
    /// are not all white space.
    static func isPresent(_ request: APIRequest) -> Bool {
        request.object != nil || !isBlank(request.body)
    }

    /// Whether `bytes` are all JSON white space (or none).
    private static func isBlank(_ bytes: [UInt8]) -> Bool {
        !bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
    }

    /// Parses JSON bytes, reporting duplicate members; malformed JSON is a 400.
    static func decodeJSON(_ bytes: [UInt8]) throws -> DecodedBody {
        guard !isBlank(bytes) else {
            throw FlotillaError(.badRequest, "the request body is empty")
        }
        do {
            let (value, duplicates) = try JSONParser.parseReportingDuplicates(bytes)
            return DecodedBody(object: value, duplicates: duplicates)
        } catch let error as JSONParser.SyntaxError {
            throw FlotillaError(.badRequest, "couldn't get version/kind; json parse error: \(error.description)")
        }
    }

    static func unsupportedMediaType(_ type: String) -> FlotillaError {
        FlotillaError(
            .unsupportedMediaType,
            "the body of the request was in an unknown format (\(type)) - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
    }

    /// Fills `apiVersion` and `kind` from the endpoint when the body lacks them (the Python
    /// client sends neither) and rejects a body of another kind.
    static func checkKind(_ object: inout JSON, expected: GroupVersionKind) throws {
        let apiVersion = object["apiVersion"].string ?? ""
        let kind = object["kind"].string ?? ""
        if apiVersion.isEmpty {
            object["apiVersion"] = .string(expected.apiVersion)
        } else if apiVersion != expected.apiVersion {
            throw FlotillaError(
                .badRequest,
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(expected.apiVersion))")
        }
        if kind.isEmpty {
            object["kind"] = .string(expected.kind)
        } else if kind != expected.kind {
            throw FlotillaError(
                .badRequest,
                "\(kind) in version \"\(expected.version)\" cannot be handled as a \(expected.kind): the kind in the request body does not match the resource")
        }
        if !object["metadata"].isNull, object["metadata"].object == nil {
            throw FlotillaError(.badRequest, "metadata must be an object, got \(object["metadata"].typeName)")
        }
    }
}
