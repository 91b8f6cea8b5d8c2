/// The lexer and recursive-descent parser of the label selector string form, following
/// Kubernetes' grammar, lookahead rules and error texts.
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier(String)
        case `in`, notIn
        case equals, doubleEquals, notEquals, bang
        case greaterThan, lessThan
        case openParen, closeParen, comma
        case end

        var literal: String {
            switch self {
            case .identifier(let s): return s
            case .in: return "in"
            case .notIn: return "notin"
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .bang: return "!"
            case .greaterThan: return ">"
            case .lessThan: return "<"
            case .openParen: return "("
            case .closeParen: return ")"
            case .comma: return ","
            case .end: return ""
            }
        }
    }

    private var tokens: [Token] = []
    private var position = 0

    init(_ text: String) {
        tokens = Self.lex(Array(text.unicodeScalars))
    }

    private static func isSpecial(_ c: Unicode.Scalar) -> Bool {
        "=!(),<>".unicodeScalars.contains(c)
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\n"
    }

    private static func lex(_ s: [Unicode.Scalar]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if isSpace(c) { i += 1; continue }
            if isSpecial(c) {
                let next = i + 1 < s.count ? s[i + 1] : nil
                switch c {
                case "=" where next == "=": out.append(.doubleEquals); i += 2
                case "=": out.append(.equals); i += 1
                case "!" where next == "=": out.append(.notEquals); i += 2
                case "!": out.append(.bang); i += 1
                case "(": out.append(.openParen); i += 1
                case ")": out.append(.closeParen); i += 1
                case ",": out.append(.comma); i += 1
                case ">": out.append(.greaterThan); i += 1
                default: out.append(.lessThan); i += 1
                }
                continue
            }
            var word = String.UnicodeScalarView()
            while i < s.count, !isSpace(s[i]), !isSpecial(s[i]) {
                word.append(s[i])
                i += 1
            }
            switch String(word) {
            case "in": out.append(.in)
            case "notin": out.append(.notIn)
            case let w: out.append(.identifier(w))
            }
        }
        out.append(.end)
        return out
    }

    /// The next token, with `in`/`notin` read as identifiers when `valuesMode` (as Kubernetes
    /// does everywhere except where an operator is expected).
    private func peek(valuesMode: Bool = true) -> Token {
        let t = tokens[position]
        if valuesMode, t == .in || t == .notIn { return .identifier(t.literal) }
        return t
    }

    private mutating func next(valuesMode: Bool = true) -> Token {
        let t = peek(valuesMode: valuesMode)
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private static func isIdentifier(_ t: Token) -> Bool {
        if case .identifier = t { return true }
        return false
    }

    mutating func parse() throws(LabelSelectorError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let t = peek()
            switch t {
            case .end:
                return requirements
            case .identifier, .bang:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw LabelSelectorError("unable to parse requirement: " + error.message)
                }
                let after = next()
                switch after {
                case .end:
                    return requirements
                case .comma:
                    let following = peek()
                    if !Self.isIdentifier(following) && following != .bang {
                        throw LabelSelectorError("found '\(following.literal)', expected: identifier after ','")
                    }
                default:
                    throw LabelSelectorError("found '\(after.literal)', expected: ',' or 'end of string'")
                }
            default:
                throw LabelSelectorError("found '\(t.literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(LabelSelectorError) -> LabelSelector.Requirement {
        var t = next()
        var negated = false
        if t == .bang {
            negated = true
            t = next()
        }
        guard case .identifier(let key) = t else {
            throw LabelSelectorError("found '\(t.literal)', expected: identifier")
        }
        let keyErrors = NameValidation.qualifiedName(key)
        if !keyErrors.isEmpty {
            throw LabelSelectorError("key: Invalid value: \"\(key)\": " + keyErrors.joined(separator: "; "))
        }
        let lookahead = peek()
        if negated {
            return try LabelSelector.Requirement(key: key, op: .doesNotExist, values: [])
        }
        if lookahead == .end || lookahead == .comma {
            return try LabelSelector.Requirement(key: key, op: .exists, values: [])
        }
        let opToken = next(valuesMode: false)
        let op: LabelSelector.Operator
        switch opToken {
        case .in: op = .in
        case .notIn: op = .notIn
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        default:
            throw LabelSelectorError("found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        let values: [String]
        if op == .in || op == .notIn {
            values = try parseValueSet()
        } else {
            values = try parseExactValue()
        }
        return try LabelSelector.Requirement(key: key, op: op, values: values)
    }

    private mutating func parseExactValue() throws(LabelSelectorError) -> [String] {
        let t = peek()
        if t == .end || t == .comma { return [""] }
        let v = next()
        guard case .identifier(let value) = v else {
            throw LabelSelectorError("found '\(v.literal)', expected: identifier")
        }
        return [value]
    }

    private mutating func parseValueSet() throws(LabelSelectorError) -> [String] {
        let open = next()
        guard open == .openParen else {
            throw LabelSelectorError("found '\(open.literal)', expected: '('")
        }
        let t = peek()
        switch t {
        case .closeParen:
            _ = next()
            return [""]
        case .identifier, .comma:
            let values = try parseIdentifierList()
            let close = next()
            guard close == .closeParen else {
                throw LabelSelectorError("found '\(close.literal)', expected: ')'")
            }
            return values
        default:
            throw LabelSelectorError("found '\(t.literal)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifierList() throws(LabelSelectorError) -> [String] {
        var values: [String] = []
        while true {
            let t = next()
            switch t {
            case .identifier(let v):
                values.append(v)
                let after = peek()
                if after == .closeParen { return values }
                guard after == .comma else {
                    throw LabelSelectorError("found '\(after.literal)', expected: ',' or ')'")
                }
            case .comma:
                if values.isEmpty { values.append("") }
                let after = peek()
                if after == .closeParen {
                    values.append("")
                    return values
                }
                if after == .comma {
                    _ = next()
                    values.append("")
                }
            default:
                throw LabelSelectorError("found '\(t.literal)', expected: ',', or identifier")
            }
        }
    }
}
