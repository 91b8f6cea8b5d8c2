import FlotillaAPI
import FlotillaCore

/// The kinds of `PATCH` the API accepts, by `Content-Type`.
enum PatchType: String, Sendable {
    case merge = "application/merge-patch+json"
    case json = "application/json-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    /// The patch type of a request; any other content type is a 415.
    init(_ request: APIRequest) throws {
        let type = RequestBody.mediaType(request)
        guard let known = PatchType(rawValue: type) ?? (type == "application/apply-patch+json" ? .apply : nil) else {
            throw Self.unsupported
        }
        self = known
    }

    static let unsupported = FlotillaError(
        .unsupportedMediaType,
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")

    /// Parses the patch document of `request`: JSON for every type; an apply patch may also be
    /// YAML. An in-process caller's object is taken as it is.
    func decode(_ request: APIRequest) throws -> DecodedBody {
        let body = request.body
        let decoded: DecodedBody
        if let object = request.object {
            decoded = DecodedBody(object: object, duplicates: [])
        } else if self == .apply, let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first != UInt8(ascii: "{") {
            decoded = DecodedBody(object: try YAMLCodec.document(body), duplicates: [])
        } else {
            decoded = try RequestBody.decodeJSON(body)
        }
        switch self {
        case .json:
            guard decoded.object.array != nil else {
                throw FlotillaError(.badRequest, "json: cannot unmarshal \(decoded.object.typeName) into Go value of type jsonpatch.Patch")
            }
        case .merge, .strategic, .apply:
            guard decoded.object.object != nil else {
                throw FlotillaError(.badRequest, "the patch must be a JSON object, got \(decoded.object.typeName)")
            }
        }
        return decoded
    }
}
