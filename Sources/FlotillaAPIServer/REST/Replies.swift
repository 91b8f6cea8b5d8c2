import FlotillaAPI
import FlotillaCore

/// Builds the API's replies: JSON bodies, `Status` errors and warning headers.
enum Replies {
    static let contentType = (name: "Content-Type", value: "application/json")

    /// A JSON reply with `Warning: 299` headers for `warnings`.
    static func json(_ status: Int, _ body: [UInt8], warnings: [String] = []) -> APIResponse {
        APIResponse(status: status, headers: headers(warnings), body: .bytes(body))
    }

    /// A reply of one object to an in-process caller (``APIRequest/acceptsObjects``), which
    /// reads it without parsing.
    static func object(_ status: Int, _ value: JSON, warnings: [String] = []) -> APIResponse {
        APIResponse(status: status, headers: headers(warnings), body: .object(value))
    }

    /// The content type, and a `Warning: 299` header for each of `warnings`.
    private static func headers(_ warnings: [String]) -> [(name: String, value: String)] {
        var headers = [contentType]
        for w in warnings { headers.append((name: "Warning", value: warningValue(w))) }
        return headers
    }

    /// A JSON reply of a value.
    static func json(_ status: Int, _ value: JSON, warnings: [String] = []) -> APIResponse {
        json(status, value.serialized(), warnings: warnings)
    }

    /// The `Status` reply of an error.
    static func error(_ error: FlotillaError, warnings: [String] = []) -> APIResponse {
        json(error.code.httpStatus, error.status, warnings: warnings)
    }

    /// A `Status` of success, as subresources such as binding and eviction reply.
    /// An in-process caller (``APIRequest/acceptsObjects``) gets it as an object.
    static func success(_ code: Int, to request: APIRequest) -> APIResponse {
        let status: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": .int(Int64(code)),
        ]
        return request.acceptsObjects ? object(code, status) : json(code, status)
    }

    /// `299 - "text"` with quotes and backslashes escaped, as Kubernetes writes warnings.
    static func warningValue(_ text: String) -> String {
        var escaped = ""
        for c in text {
            if c == "\"" || c == "\\" { escaped.append("\\") }
            escaped.append(c == "\n" ? " " : c)
        }
        return "299 - \"\(escaped)\""
    }
}
