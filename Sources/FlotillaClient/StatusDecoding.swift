import FlotillaCore

extension FlotillaError {
    /// The error a failed API reply stands for: its Kubernetes `Status` (reason, message, details
    /// and causes) when the body holds one, otherwise just the HTTP status code.
    public init(httpStatus: Int, body: [UInt8]) {
        let parsed = try? JSONParser.parse(body)
        if let parsed, parsed["kind"].string == "Status" {
            self.init(status: parsed, httpStatus: httpStatus)
        } else {
            let text = String(decoding: body.prefix(512), as: UTF8.self)
            let message = text.isEmpty ? "the server replied with HTTP status \(httpStatus)" : text
            self.init(Self.code(reason: nil, httpStatus: httpStatus), message)
        }
    }

    /// The error a Kubernetes `Status` object describes; `httpStatus` is used when the Status
    /// carries no `code`.
    public init(status: JSON, httpStatus: Int? = nil) {
        let httpCode = status["code"].int.map(Int.init) ?? httpStatus ?? 500
        let details = status["details"]
        let causes = (details["causes"].array ?? []).map { cause in
            Cause(
                reason: cause["reason"].string ?? "", message: cause["message"].string ?? "",
                field: cause["field"].string ?? "")
        }
        self.init(
            Self.code(reason: status["reason"].string, httpStatus: httpCode),
            status["message"].string ?? "the server replied with HTTP status \(httpCode)",
            name: details["name"].string, group: details["group"].string, kind: details["kind"].string,
            causes: causes, retryAfterSeconds: details["retryAfterSeconds"].int.map(Int.init))
    }

    /// The code for a Status reason, falling back to the closest code for the HTTP status.
    static func code(reason: String?, httpStatus: Int) -> Code {
        if let reason, let code = Code(rawValue: reason) {
            // A 410 means the resource version is too old, whatever the reason says.
            return code == .gone ? .expired : code
        }
        switch httpStatus {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 410: return .expired
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 503: return .serviceUnavailable
        case 504: return .timeout
        default: return .internalError
        }
    }
}
