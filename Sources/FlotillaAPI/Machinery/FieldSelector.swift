import FlotillaCore

/// A field selector: `?fieldSelector=metadata.name=x,status.phase!=Running`, terms joined by
/// `,` (AND), each comparing one dotted field of the object with `=`, `==` or `!=`.
///
/// Values may escape `\`, `,` and `=` with a backslash, as Kubernetes allows.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    /// One comparison of a field with a value.
    public struct Term: Sendable, Equatable, CustomStringConvertible {
        /// The dotted field path, e.g. `spec.nodeName`.
        public var field: String {
            didSet { path = FieldSelector.path(of: field) }
        }
        /// `true` for `!=`.
        public var negated: Bool
        public var value: String
        /// The field's members, split once (a watch compares every event with the selector).
        private var path: [String]

        public init(field: String, negated: Bool = false, value: String) {
            self.field = field
            self.negated = negated
            self.value = value
            path = FieldSelector.path(of: field)
        }

        /// Whether `object` satisfies the comparison (a missing field reads as "").
        public func matches(_ object: JSON) -> Bool {
            (FieldSelector.value(at: path, in: object) == value) != negated
        }

        public var description: String {
            field + (negated ? "!=" : "=") + FieldSelector.escape(value)
        }
    }

    /// The terms, in the order written.
    public var terms: [Term]

    /// A selector of the given terms (none: it matches everything).
    public init(_ terms: [Term] = []) {
        self.terms = terms
    }

    /// Parses the string form; throws 400 BadRequest naming the selector on bad syntax.
    public init(parsing text: String) throws(FlotillaError) {
        var terms: [Term] = []
        for raw in Self.split(text, on: ",") where !raw.isEmpty {
            guard let term = Self.parseTerm(raw) else {
                throw FlotillaError(.badRequest, "invalid selector: '\(text)'; can't understand '\(raw)'")
            }
            terms.append(term)
        }
        self.init(terms)
    }

    /// Whether the selector has no terms (and so matches everything).
    public var isEmpty: Bool { terms.isEmpty }

    /// Whether `object` satisfies every term.
    public func matches(_ object: JSON) -> Bool {
        terms.allSatisfy { $0.matches(object) }
    }

    /// The string form, parseable by ``init(parsing:)``.
    public var description: String { terms.map(\.description).joined(separator: ",") }

    /// The fields every resource can be selected by.
    public static let alwaysSelectable = ["metadata.name", "metadata.namespace"]

    /// Checks that every field is selectable for `resource` (`metadata.name`,
    /// `metadata.namespace` and the resource's `selectableFields`); throws 400
    /// `field label not supported: x` otherwise.
    public func validate(for resource: ResourceDefinition) throws(FlotillaError) {
        try validate(selectable: Self.alwaysSelectable + resource.selectableFields)
    }

    /// Checks that every field is in `selectable`; throws 400 `field label not supported: x`.
    public func validate(selectable: [String]) throws(FlotillaError) {
        for term in terms where !selectable.contains(term.field) {
            throw FlotillaError(.badRequest, "field label not supported: \(term.field)")
        }
    }

    /// The members of a dotted field path.
    static func path(of field: String) -> [String] {
        field.split(separator: ".").map(String.init)
    }

    /// The value of a field of `object` (its members) as a selector compares it: strings as they are,
    /// numbers and booleans in their JSON text, anything missing as "".
    static func value(at path: [String], in object: JSON) -> String {
        let v = object[path: path]
        switch v {
        case .string(let s): return s
        case .bool, .int, .double: return v.jsonText
        default: return ""
        }
    }

    // MARK: - Parsing

    private static let escapable: Set<Character> = ["\\", ",", "="]

    /// Splits on unescaped `separator`, keeping escapes in the pieces.
    private static func split(_ text: String, on separator: Character) -> [String] {
        var pieces: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                current.append(c)
                escaped = true
            } else if c == separator {
                pieces.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        pieces.append(current)
        return pieces
    }

    private static func parseTerm(_ raw: String) -> Term? {
        let chars = Array(raw)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            let rest = chars.count - i
            var op: (length: Int, negated: Bool)?
            if rest >= 2, chars[i] == "!", chars[i + 1] == "=" {
                op = (2, true)
            } else if rest >= 2, chars[i] == "=", chars[i + 1] == "=" {
                op = (2, false)
            } else if chars[i] == "=" {
                op = (1, false)
            }
            if let op {
                let field = String(chars[..<i]).trimmingSpaces
                guard !field.isEmpty, let value = unescape(String(chars[(i + op.length)...])) else { return nil }
                return Term(field: field, negated: op.negated, value: value)
            }
            i += 1
        }
        return nil
    }

    private static func unescape(_ text: String) -> String? {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                guard escapable.contains(c) else { return nil }
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if escapable.contains(c) {
                return nil
            } else {
                out.append(c)
            }
        }
        return escaped ? nil : out
    }

    fileprivate static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            if escapable.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
