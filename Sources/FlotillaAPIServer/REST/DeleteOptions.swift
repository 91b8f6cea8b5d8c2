import FlotillaAPI
import FlotillaCore

/// `DeleteOptions` of a delete: from the body (JSON, possibly empty) and the query.
struct DeleteOptions: Sendable {
    enum Propagation: String, Sendable {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"

        /// The finalizer that holds the object until the garbage collector has dealt with its
        /// dependents (`orphan`, `foregroundDeletion`); nil for Background.
        var finalizer: String? {
            switch self {
            case .orphan: return "orphan"
            case .foreground: return "foregroundDeletion"
            case .background: return nil
            }
        }
    }

    var gracePeriodSeconds: Int64?
    var propagation: Propagation?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun = false

    init() {}

    /// Reads the options of a delete request; the body (unless `readBody` is false, when it
    /// holds something else) wins over the query, as in Kubernetes.
    init(_ request: APIRequest, readBody: Bool = true, protobuf: ProtobufRequestDecoder) throws {
        dryRun = try WriteOptions(request).dryRun
        gracePeriodSeconds = try queryInt(request, "gracePeriodSeconds")
        if let raw = request.queryValue("propagationPolicy"), !raw.isEmpty { propagation = try Self.propagation(raw) }
        if request.queryValue("orphanDependents") != nil, propagation == nil {
            propagation = try queryFlag(request, "orphanDependents") ? .orphan : .background
        }
        if readBody, RequestBody.isPresent(request) {
            try apply(try RequestBody.decodeObject(request, protobuf: protobuf).object)
        }
    }

    /// Takes the fields of a `DeleteOptions` JSON object (also embedded in an Eviction).
    mutating func apply(_ body: JSON) throws {
        if let kind = body["kind"].string, !kind.isEmpty, kind != "DeleteOptions" {
            throw FlotillaError(.badRequest, "the body of a delete must be DeleteOptions, got \(kind)")
        }
        if !body["gracePeriodSeconds"].isNull {
            guard let grace = body["gracePeriodSeconds"].int else {
                throw FlotillaError(.badRequest, "gracePeriodSeconds must be an integer")
            }
            gracePeriodSeconds = grace
        }
        if let raw = body["propagationPolicy"].string { propagation = try Self.propagation(raw) }
        if let orphan = body["orphanDependents"].bool, propagation == nil { propagation = orphan ? .orphan : .background }
        if let uid = body["preconditions"]["uid"].string { preconditionUID = uid }
        if let version = body["preconditions"]["resourceVersion"].string { preconditionResourceVersion = version }
        for value in body["dryRun"].array ?? [] {
            guard value.string == "All" else { throw FlotillaError(.badRequest, "Invalid dry run value: \(value): supported values: \"All\"") }
            dryRun = true
        }
        if let grace = gracePeriodSeconds, grace < 0 { gracePeriodSeconds = 0 }
    }

    private static func propagation(_ raw: String) throws -> Propagation {
        guard let p = Propagation(rawValue: raw) else {
            throw FlotillaError(
                .badRequest,
                "propagationPolicy: Unsupported value: \"\(raw)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
        }
        return p
    }
}
