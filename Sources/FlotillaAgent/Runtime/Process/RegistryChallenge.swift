/// A registry's `WWW-Authenticate` challenge: `Basic realm="…"`, or `Bearer realm="…",service="…",scope="…"`
/// naming the token server to get a bearer token from.
public struct RegistryChallenge: Sendable, Equatable {
    /// `basic` or `bearer`, in lower case.
    public var scheme: String
    /// The challenge's parameters (`realm`, `service`, `scope`, …), names in lower case.
    public var parameters: [String: String]

    /// Parses a `WWW-Authenticate` header value; nil when it names no scheme.
    public init?(_ header: String) {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") ?? (trimmed.isEmpty ? nil : trimmed.endIndex) else { return nil }
        scheme = trimmed[..<space].lowercased()
        parameters = [:]
        var rest = trimmed[space...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingSpaces.lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first, character != "\"" {
                    if character == "\\", rest.count > 1 {
                        rest = rest.dropFirst()
                    }
                    value.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end]).trimmingSpaces
                rest = rest[end...]
            }
            parameters[name] = value
        }
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
