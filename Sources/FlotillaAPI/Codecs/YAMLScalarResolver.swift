import FlotillaCore

/// Resolves plain (unquoted, untagged) YAML scalars to JSON values with the YAML 1.1 rules that
/// Kubernetes' YAML-to-JSON conversion (go-yaml v2) applies, so a manifest means the same here
/// as it does to kubectl and the Kubernetes API server:
///
/// - `~`, `null`, `Null`, `NULL` and the empty scalar are null;
/// - `true/false`, `yes/no`, `on/off`, `y/n` in lower, capitalised and upper case are booleans;
/// - integers in decimal, `0x` hex, `0o` or leading-`0` octal and `0b` binary, `_` ignored;
/// - floats such as `1.5`, `.5`, `1e3` (and `08`, which is not octal);
/// - `.inf` and `.nan` are floats JSON cannot hold: they are rejected;
/// - everything else, timestamps included, stays a string.
enum YAMLScalarResolver {
    /// What a plain scalar means.
    enum Resolution: Equatable {
        case value(JSON)
        /// A float JSON cannot represent (`.inf`, `-.inf`, `.nan`).
        case nonFinite
    }

    static func resolve(_ text: String) -> Resolution {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .value(.null)
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE":
            return .value(.bool(true))
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE":
            return .value(.bool(false))
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .nonFinite
        default:
            break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .value(.string(text)) }
        let plain = text.replacingAll("_")
        if let number = integer(plain) { return .value(number) }
        if isYAMLFloat(plain), let d = Double(plain), d.isFinite { return .value(.double(d)) }
        return .value(.string(text))
    }

    /// Whether a string written as a plain scalar would read back as something else.
    static func needsQuoting(_ text: String) -> Bool {
        if case .value(.string) = resolve(text) { return isTimestamp(text) || text == "<<" }
        return true
    }

    /// An integer as Go's `strconv.ParseInt(s, 0, 64)` reads it, or a number above `Int64.max`
    /// as `ParseUint` does.
    private static func integer(_ s: String) -> JSON? {
        var digits = Substring(s)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        if digits.count > 1, digits.first == "0" {
            switch digits.dropFirst().first {
            case "x", "X": radix = 16; digits = digits.dropFirst(2)
            case "o", "O": radix = 8; digits = digits.dropFirst(2)
            case "b", "B": radix = 2; digits = digits.dropFirst(2)
            default: radix = 8; digits = digits.dropFirst()
            }
        }
        guard !digits.isEmpty, digits.first != "+", digits.first != "-", let magnitude = UInt64(digits, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return .int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        if magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
        guard s.first != "+" && s.first != "-" else { return nil }
        return .double(Double(magnitude))
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    private static func isYAMLFloat(_ s: String) -> Bool {
        let u = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < u.count, (48...57).contains(u[i]) { i += 1 }
            return i - start
        }
        if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
        if i < u.count, u[i] == 46 {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < u.count, u[i] == 46 {
                i += 1
                _ = digits()
            }
        }
        if i < u.count, u[i] == 101 || u[i] == 69 {
            i += 1
            if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == u.count
    }

    /// A YAML timestamp (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`, ...), which other YAML
    /// readers turn into dates: such strings are quoted on output.
    private static func isTimestamp(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 10, u[4] == 45, u[7] == 45 else { return false }
        for k in [0, 1, 2, 3, 5, 6, 8, 9] where !(48...57).contains(u[k]) { return false }
        return u.count == 10 || [84, 116, 32, 9].contains(u[10])
    }
}

extension String {
    /// This string without any occurrence of `character`.
    fileprivate func replacingAll(_ character: Character) -> String {
        contains(character) ? String(filter { $0 != character }) : self
    }
}
