import FlotillaCore

/// A JSON Pointer (RFC 6901) such as `/spec/containers/0/image`: `~1` stands for `/` and `~0`
/// for `~`; the empty pointer is the whole document.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public var tokens: [String]

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses a pointer; `nil` when it is neither empty nor starts with `/`, or has a bad escape.
    public init?(_ text: String) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { return nil }
        var out: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var tilde = false
            for c in raw {
                if tilde {
                    switch c {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                    tilde = false
                } else if c == "~" {
                    tilde = true
                } else {
                    token.append(c)
                }
            }
            if tilde { return nil }
            out.append(token)
        }
        tokens = out
    }

    /// The pointer text, escaped.
    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }

    /// Whether `self` is `other` or points inside it.
    public func isPrefix(of other: JSONPointer) -> Bool {
        tokens.count <= other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The array index a token names in an array of `count` elements: digits without leading
    /// zeros; `-` (one past the end) only when `allowEnd`.
    static func index(_ token: String, count: Int, allowEnd: Bool) -> Int? {
        if token == "-" { return allowEnd ? count : nil }
        guard !token.isEmpty, token.allSatisfy(\.isASCIIDigit), token == "0" || !token.hasPrefix("0"),
            let i = Int(token)
        else { return nil }
        return i < count || (allowEnd && i == count) ? i : nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
