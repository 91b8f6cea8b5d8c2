/// Kubernetes' rules for names, label keys and values, config keys and environment variable
/// names. Each function returns the problems in Kubernetes' own words; an empty list means valid.
public enum NameValidation {
    static let dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let configMapKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    static let configMapKeyFormat = "[-._a-zA-Z0-9]+"
    static let envVarNameMessage =
        "a valid environment variable name must consist only of printable ASCII characters other than '='"

    /// Kubernetes' "must be no more than N characters".
    public static func maxLengthMessage(_ n: Int) -> String { "must be no more than \(n) characters" }

    /// Kubernetes' message for a value that does not match a pattern, with examples (joined as
    /// Kubernetes joins them: `'a',  or 'b', `).
    static func regexMessage(_ message: String, _ format: String, _ examples: String...) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '\(format)')" }
        let shown = examples.map { "'\($0)', " }.joined(separator: " or ")
        return message + " (e.g. " + shown + "regex used for validation is '\(format)')"
    }

    // MARK: DNS names

    /// An RFC 1123 label (namespace names, container names): at most 63 characters.
    public static func dnsLabel(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthMessage(63)) }
        if !isDNS1123Label(value) {
            if isDNS1123Subdomain(value) {
                errors.append("must not contain dots")
            } else {
                errors.append(regexMessage(dns1123LabelMessage, dns1123LabelFormat, "my-name", "123-abc"))
            }
        }
        return errors
    }

    /// An RFC 1123 subdomain (most object names): at most 253 characters.
    public static func dnsSubdomain(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLengthMessage(253)) }
        if !isDNS1123Subdomain(value) {
            errors.append(regexMessage(dns1123SubdomainMessage, dns1123SubdomainFormat, "example.com"))
        }
        return errors
    }

    /// An RFC 1035 label (service names): starts with a letter, at most 63 characters.
    public static func dns1035Label(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthMessage(63)) }
        let b = Array(value.utf8)
        let valid = !b.isEmpty && isLower(b[0]) && isLowerAlnum(b[b.count - 1])
            && b.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        if !valid { errors.append(regexMessage(dns1035LabelMessage, dns1035LabelFormat, "my-name", "abc-123")) }
        return errors
    }

    // MARK: Labels and annotations

    /// A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at
    /// most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric.
    public static func qualifiedName(_ value: String) -> [String] {
        if isQualifiedName(value) { return [] }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var errors: [String] = []
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dnsSubdomain(prefix).map { "prefix part " + $0 }
            }
        default:
            return [
                "a qualified name "
                    + regexMessage(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLengthMessage(63))
        }
        if !isQualifiedNamePart(name) {
            errors.append("name part " + regexMessage(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errors
    }

    /// A label value: empty, or at most 63 alphanumerics, '-', '_' or '.', starting and ending
    /// with an alphanumeric.
    public static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthMessage(63)) }
        if !value.isEmpty && !isQualifiedNamePart(value) {
            errors.append(regexMessage(labelValueMessage, "(" + qualifiedNameFormat + ")?", "MyValue", "my_value", "12345"))
        }
        return errors
    }

    // MARK: Other names

    /// A key of a ConfigMap or Secret: alphanumerics, '-', '_' or '.', not "." or "..", not
    /// starting with "..", at most 253 characters.
    public static func configMapKey(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLengthMessage(253)) }
        let valid = !value.isEmpty && value.utf8.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
        if !valid { errors.append(regexMessage(configMapKeyMessage, configMapKeyFormat, "key.name", "KEY_NAME", "key-name")) }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// A name usable as one URL path segment: not "." or "..", no '/' or '%'.
    public static func pathSegmentName(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        return pathSegmentPrefix(value)
    }

    /// The part of ``pathSegmentName(_:)`` that applies to a `generateName` prefix.
    public static func pathSegmentPrefix(_ value: String) -> [String] {
        var errors: [String] = []
        if value.contains("/") { errors.append("may not contain '/'") }
        if value.contains("%") { errors.append("may not contain '%'") }
        return errors
    }

    /// An environment variable name (also an `envFrom` prefix), by Kubernetes' relaxed rule:
    /// non-empty, printable ASCII other than '='.
    public static func cIdentifier(_ value: String) -> [String] {
        var errors: [String] = []
        if value.isEmpty { errors.append("environment variable name must be non-empty") }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E || $0 == "=" }) {
            errors.append(envVarNameMessage)
        }
        return errors
    }

    /// A port name (an IANA service name): at most 15 lowercase alphanumerics and '-', with at
    /// least one letter, no "--", not starting or ending with '-'.
    public static func portName(_ value: String) -> [String] {
        var errors: [String] = []
        let b = Array(value.utf8)
        if b.count > 15 { errors.append(maxLengthMessage(15)) }
        if b.isEmpty || !b.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !b.contains(where: isLower) { errors.append("must contain at least one letter (a-z)") }
        if value.contains("--") { errors.append("must not contain consecutive hyphens") }
        if b.first == UInt8(ascii: "-") || b.last == UInt8(ascii: "-") {
            errors.append("must not begin or end with a hyphen")
        }
        return errors
    }

    /// The messages for a name checked by `rule`. With `prefix` the value is a `generateName`,
    /// whose trailing '-' is allowed.
    public static func validate(_ value: String, rule: ResourceDefinition.NameRule, prefix: Bool = false) -> [String] {
        var value = value
        if prefix, rule != .pathSegment, value.utf8.count > 1, value.hasSuffix("-") {
            value = String(value.dropLast(2)) + "a"
        }
        switch rule {
        case .dnsSubdomain: return dnsSubdomain(value)
        case .dnsLabel: return dnsLabel(value)
        case .dns1035Label: return dns1035Label(value)
        case .pathSegment: return prefix ? pathSegmentPrefix(value) : pathSegmentName(value)
        }
    }

    // MARK: Character classes

    static func isDNS1123Label(_ value: String) -> Bool { withBytes(value) { isDNS1123Label($0) } }

    static func isDNS1123Label<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlnum(first) && isLowerAlnum(last) && bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDNS1123Subdomain(_ value: String) -> Bool { withBytes(value) { isDNS1123Subdomain($0[...]) } }

    /// Whether every dot-separated label of `bytes` is an RFC 1123 label (the length aside).
    static func isDNS1123Subdomain<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.SubSequence == Bytes {
        var rest = bytes
        while let dot = rest.firstIndex(of: UInt8(ascii: ".")) {
            guard isDNS1123Label(rest[..<dot]) else { return false }
            rest = rest[rest.index(after: dot)...]
        }
        return isDNS1123Label(rest)
    }

    static func isQualifiedNamePart(_ value: String) -> Bool { withBytes(value) { isQualifiedNamePart($0) } }

    static func isQualifiedNamePart<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlnum(first) && isAlnum(last)
            && bytes.allSatisfy {
                isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    /// Whether ``qualifiedName(_:)`` finds no problem, decided without building a message: the
    /// common case, checked on the bytes as they are.
    static func isQualifiedName(_ value: String) -> Bool {
        withBytes(value) { buffer in
            let bytes = buffer[...]
            guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else {
                return bytes.count <= 63 && isQualifiedNamePart(bytes)
            }
            let prefix = bytes[..<slash]
            let name = bytes[(slash + 1)...]
            return prefix.count <= 253 && isDNS1123Subdomain(prefix) && name.count <= 63 && isQualifiedNamePart(name)
        }
    }

    /// Runs `body` on the UTF-8 bytes of `value` in place (a native string's own storage).
    private static func withBytes<Result>(_ value: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var value = value
        return value.withUTF8(body)
    }

    static func isLower(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isLowerAlnum(_ c: UInt8) -> Bool { isLower(c) || isDigit(c) }
    static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
