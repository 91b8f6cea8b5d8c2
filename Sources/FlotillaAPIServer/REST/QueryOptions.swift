import FlotillaAPI
import FlotillaCore

/// The query parameters that shape a write: `dryRun`, `fieldValidation`, `fieldManager`, `force`.
struct WriteOptions: Sendable {
    var dryRun = false
    var fieldValidation: FieldValidationMode = .warn
    var fieldManager: String?
    var force = false

    init() {}

    /// Reads and checks the write parameters of `request`.
    init(_ request: APIRequest) throws {
        for value in request.queryValues("dryRun") {
            guard value == "All" else {
                throw FlotillaError(.badRequest, "Invalid dry run value: \"\(value)\": supported values: \"All\"")
            }
            dryRun = true
        }
        if let raw = request.queryValue("fieldValidation"), !raw.isEmpty {
            guard let mode = FieldValidationMode(rawValue: raw) else {
                throw FlotillaError(.badRequest, "fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", got \"\(raw)\"")
            }
            fieldValidation = mode
        }
        if let manager = request.queryValue("fieldManager"), !manager.isEmpty {
            guard manager.count <= 128 else {
                throw FlotillaError(.badRequest, "fieldManager: Too long: may not be longer than 128")
            }
            fieldManager = manager
        }
        if let raw = request.queryValue("force") {
            guard let value = Bool(raw) ?? (raw == "1" ? true : raw == "0" ? false : nil) else {
                throw FlotillaError(.badRequest, "invalid value for force: \"\(raw)\"")
            }
            force = value
        }
    }

    /// The manager a non-apply write is recorded under: the `fieldManager` parameter, or nil
    /// when the request names none. Field ownership then stays as it was (an object nobody
    /// manages counts as owned by `before-first-apply` when it is first applied), which spares
    /// the cost of tracking on the hot path of clients that do not use server-side apply;
    /// kubectl always names its manager.
    static func updateManager(_ request: APIRequest) -> String? {
        guard let manager = request.queryValue("fieldManager"), !manager.isEmpty else { return nil }
        return String(manager.prefix(128))
    }
}

/// Parses boolean query values as Kubernetes does (`true`, `1`, `false`, `0`).
func queryFlag(_ request: APIRequest, _ name: String) throws -> Bool {
    guard let raw = request.queryValue(name) else { return false }
    switch raw.lowercased() {
    case "", "true", "1": return true
    case "false", "0": return false
    default: throw FlotillaError(.badRequest, "invalid value for \(name): \"\(raw)\"")
    }
}

/// Parses an integer query value, or nil when absent.
func queryInt(_ request: APIRequest, _ name: String) throws -> Int64? {
    guard let raw = request.queryValue(name), !raw.isEmpty else { return nil }
    guard let value = Int64(raw) else {
        throw FlotillaError(.badRequest, "invalid value for \(name): \"\(raw)\": must be an integer")
    }
    return value
}
