import FlotillaCore

/// Builders of field-level validation problems worded as Kubernetes words them
/// (`field.ErrorList` in Kubernetes): each cause carries the reason, the message body
/// (`Invalid value: "x": detail`) and the field path (`spec.containers[0].image`).
extension FlotillaError.Cause {
    /// `Required value`, optionally followed by a detail.
    public static func required(_ path: String, _ detail: String = "") -> Self {
        make("FieldValueRequired", "Required value", nil, detail, path)
    }

    /// `Invalid value: <value>: <detail>`.
    public static func invalid(_ path: String, _ value: JSON, _ detail: String) -> Self {
        make("FieldValueInvalid", "Invalid value", value, detail, path)
    }

    /// `Invalid value: "<value>": <detail>`.
    public static func invalid(_ path: String, _ value: String, _ detail: String) -> Self {
        invalid(path, JSON.string(value), detail)
    }

    /// `Duplicate value: <value>`.
    public static func duplicate(_ path: String, _ value: JSON) -> Self {
        make("FieldValueDuplicate", "Duplicate value", value, "", path)
    }

    /// `Duplicate value: "<value>"`.
    public static func duplicate(_ path: String, _ value: String) -> Self {
        duplicate(path, JSON.string(value))
    }

    /// `Unsupported value: "<value>": supported values: "a", "b"`.
    public static func notSupported(_ path: String, _ value: JSON, _ allowed: [String]) -> Self {
        let detail = allowed.isEmpty ? "" : "supported values: " + allowed.map(goQuoted).joined(separator: ", ")
        return make("FieldValueNotSupported", "Unsupported value", value, detail, path)
    }

    /// `Unsupported value: "<value>": supported values: ...`.
    public static func notSupported(_ path: String, _ value: String, _ allowed: [String]) -> Self {
        notSupported(path, JSON.string(value), allowed)
    }

    /// `Forbidden: <detail>`.
    public static func forbidden(_ path: String, _ detail: String) -> Self {
        make("FieldValueForbidden", "Forbidden", nil, detail, path)
    }

    /// `Too long: may not be more than <n> bytes`.
    public static func tooLong(_ path: String, maxBytes: Int) -> Self {
        make("FieldValueTooLong", "Too long", nil, "may not be more than \(maxBytes) \(maxBytes == 1 ? "byte" : "bytes")", path)
    }

    /// `Too many: <actual>: must have at most <n> items`.
    public static func tooMany(_ path: String, actual: Int, max: Int) -> Self {
        make("FieldValueTooMany", "Too many", .int(Int64(actual)), "must have at most \(max) \(max == 1 ? "item" : "items")", path)
    }

    /// `Not found: <value>`.
    public static func notFound(_ path: String, _ value: JSON) -> Self {
        make("FieldValueNotFound", "Not found", value, "", path)
    }

    private static func make(_ reason: String, _ type: String, _ value: JSON?, _ detail: String, _ path: String) -> Self {
        var body = type
        if let value { body += ": " + render(value) }
        if !detail.isEmpty { body += ": " + detail }
        return Self(reason: reason, message: body, field: path)
    }

    /// A bad value as Kubernetes prints it: strings quoted, numbers and booleans plain,
    /// anything else as compact JSON.
    private static func render(_ value: JSON) -> String {
        switch value {
        case .string(let s): return goQuoted(s)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array, .object: return value.jsonText
        }
    }

    /// A string quoted with escapes, in the manner of Go's `%q`.
    static func goQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
