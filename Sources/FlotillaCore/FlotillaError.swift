/// The one error type of Flotilla. Its code maps onto a Kubernetes `Status` (HTTP code and
/// reason) at the API edge; its message names the object and the field.
public struct FlotillaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is; each maps to one HTTP status code and `Status.reason`.
    public enum Code: String, Sendable, Equatable {
        case badRequest = "BadRequest"
        case unauthorized = "Unauthorized"
        case forbidden = "Forbidden"
        case notFound = "NotFound"
        case methodNotAllowed = "MethodNotAllowed"
        case notAcceptable = "NotAcceptable"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case expired = "Expired"
        case gone = "Gone"
        case requestEntityTooLarge = "RequestEntityTooLarge"
        case unsupportedMediaType = "UnsupportedMediaType"
        case invalid = "Invalid"
        case tooManyRequests = "TooManyRequests"
        case internalError = "InternalError"
        case serviceUnavailable = "ServiceUnavailable"
        case timeout = "Timeout"

        /// The HTTP status code Kubernetes uses for this reason.
        public var httpStatus: Int {
            switch self {
            case .badRequest: return 400
            case .unauthorized: return 401
            case .forbidden: return 403
            case .notFound: return 404
            case .methodNotAllowed: return 405
            case .notAcceptable: return 406
            case .alreadyExists, .conflict: return 409
            case .expired, .gone: return 410
            case .requestEntityTooLarge: return 413
            case .unsupportedMediaType: return 415
            case .invalid: return 422
            case .tooManyRequests: return 429
            case .internalError: return 500
            case .serviceUnavailable: return 503
            case .timeout: return 504
            }
        }
    }

    /// One field-level problem, as in `Status.details.causes`.
    public struct Cause: Sendable, Equatable {
        /// Kubernetes cause type, e.g. `FieldValueRequired`, `FieldValueInvalid`, `FieldValueDuplicate`.
        public var reason: String
        public var message: String
        /// The field path, e.g. `spec.containers[0].image`.
        public var field: String

        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Code
    public var message: String
    /// The object the error is about, for `Status.details`.
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]
    /// Seconds a client should wait before retrying (`Status.details.retryAfterSeconds`).
    public var retryAfterSeconds: Int?

    public init(
        _ code: Code, _ message: String, name: String? = nil, group: String? = nil, kind: String? = nil,
        causes: [Cause] = [], retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The Kubernetes `Status` object for this error.
    public var status: JSON {
        var details = JSONObject()
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map { c in
                var o = JSONObject()
                o["reason"] = .string(c.reason)
                o["message"] = .string(c.message)
                if !c.field.isEmpty { o["field"] = .string(c.field) }
                return .object(o)
            })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        var s: JSONObject = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message),
        ]
        if code != .gone { s["reason"] = .string(code.rawValue) }
        if !details.isEmpty { s["details"] = .object(details) }
        s["code"] = .int(Int64(code.httpStatus))
        return .object(s)
    }
}

extension FlotillaError {
    /// `kind "name" not found`, the way Kubernetes says it (`pods "p2" not found`).
    public static func notFound(resource: String, group: String = "", name: String) -> FlotillaError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return FlotillaError(.notFound, "\(qualified) \"\(name)\" not found", name: name, group: group, kind: resource)
    }

    /// `resource "name" already exists`.
    public static func alreadyExists(resource: String, group: String = "", name: String) -> FlotillaError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return FlotillaError(.alreadyExists, "\(qualified) \"\(name)\" already exists", name: name, group: group, kind: resource)
    }

    /// The Kubernetes optimistic-concurrency conflict message.
    public static func conflict(resource: String, group: String = "", name: String) -> FlotillaError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return FlotillaError(
            .conflict,
            "Operation cannot be fulfilled on \(qualified) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            name: name, group: group, kind: resource)
    }

    /// `The Kind "name" is invalid: field: message`, with one cause per problem.
    public static func invalid(kind: String, group: String = "", name: String, causes: [Cause]) -> FlotillaError {
        let summary = causes.map { c in c.field.isEmpty ? c.message : "\(c.field): \(c.message)" }
        let joined = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        return FlotillaError(.invalid, "\(kind) \"\(name)\" is invalid: \(joined)", name: name, group: group, kind: kind, causes: causes)
    }

    /// A watch or list from a revision that compaction removed.
    public static func expired(_ message: String = "too old resource version") -> FlotillaError {
        FlotillaError(.expired, message)
    }
}
