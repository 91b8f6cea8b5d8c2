/// Kubernetes' rules for label keys (qualified names) and label values, with its error texts.
public enum LabelSyntax {
    private static let nameFormat =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    private static let valueFormat =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    private static let subdomainFormat =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// The problems with a label key such as `app` or `example.com/tier`; empty when valid.
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        var errors: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            let prefix = parts[0]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dnsSubdomainErrors(prefix).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + nameFormat + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !name.isEmpty && !isQualifiedNamePart(name) {
            errors.append("name part " + nameFormat)
        }
        return errors
    }

    /// The problems with a label value; empty when valid (the empty string is valid).
    public static func labelValueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append("must be no more than 63 characters") }
        if !value.isEmpty && !isQualifiedNamePart(value) { errors.append(valueFormat) }
        return errors
    }

    /// The problems with an RFC 1123 subdomain (at most 253 characters); empty when valid.
    public static func dnsSubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append("must be no more than 253 characters") }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            let u = Array(label.utf8)
            guard let first = u.first, let last = u.last else { return false }
            return isLowerAlnum(first) && isLowerAlnum(last) && u.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        }
        if !valid { errors.append(subdomainFormat) }
        return errors
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    private static func isQualifiedNamePart(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, let last = u.last, isAlnum(first), isAlnum(last) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}
