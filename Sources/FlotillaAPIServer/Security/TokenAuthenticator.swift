import FlotillaAPI

/// Checks `Authorization: Bearer <token>` against the admin token, a static token file and
/// service account tokens.
///
/// Static tokens are compared in constant time (for a given token length), so response timing
/// does not reveal how much of a guess matched.
public struct TokenAuthenticator: Sendable, CustomStringConvertible {
    private let entries: [(token: [UInt8], user: AuthenticatedUser)]
    private let serviceAccounts: ServiceAccountTokens?

    /// - Parameters:
    ///   - adminToken: the admin bearer token; it authenticates as ``AuthenticatedUser/admin``.
    ///   - tokenFile: extra users from `--token-auth-file`.
    ///   - serviceAccounts: checks the tokens of service accounts (``APIServer/serviceAccountTokens``).
    public init(adminToken: String, tokenFile: StaticTokenFile? = nil, serviceAccounts: ServiceAccountTokens? = nil) {
        var entries: [(token: [UInt8], user: AuthenticatedUser)] = [(Array(adminToken.utf8), .admin)]
        for (token, user) in tokenFile?.users ?? [:] where token != adminToken {
            entries.append((Array(token.utf8), user))
        }
        self.entries = entries
        self.serviceAccounts = serviceAccounts
    }

    /// Names how many tokens are known, never the tokens.
    public var description: String { "TokenAuthenticator(\(entries.count) tokens)" }

    /// Paths served without credentials: health and version.
    public static let anonymousPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version"]

    /// Whether `path` (trailing slashes ignored) may be requested without credentials.
    public static func allowsAnonymous(_ path: String) -> Bool {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return anonymousPaths.contains(String(p))
    }

    /// The user whose token `authorization` (an `Authorization` header value) carries, or nil.
    public func authenticate(authorization: String?) async -> AuthenticatedUser? {
        guard let authorization else { return nil }
        let utf8 = authorization.utf8
        guard utf8.count > 7 else { return nil }
        let scheme = utf8.prefix(7)
        guard scheme.elementsEqual("bearer ".utf8, by: { Self.lower($0) == $1 }) else { return nil }
        var token = Array(utf8.dropFirst(7))
        while token.first == UInt8(ascii: " ") { token.removeFirst() }
        while token.last == UInt8(ascii: " ") { token.removeLast() }
        return await user(forToken: token)
    }

    /// The user `token` authenticates as for one of `audiences` (the API's when nil), or nil.
    /// Static tokens are good for every audience.
    public func user(forToken token: some Collection<UInt8>, audiences: [String]? = nil) async -> AuthenticatedUser? {
        let token = Array(token)
        guard !token.isEmpty else { return nil }
        var found: AuthenticatedUser?
        for entry in entries where Self.constantTimeEqual(entry.token, token) {
            found = entry.user
        }
        if let found { return found }
        return await serviceAccounts?.user(forToken: String(decoding: token, as: UTF8.self), audiences: audiences)
    }

    /// Compares two byte strings without an early exit on the first difference.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        if a.count != b.count { difference |= 1 }
        let n = min(a.count, b.count)
        for i in 0..<n { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    private static func lower(_ c: UInt8) -> UInt8 {
        c >= 65 && c <= 90 ? c + 32 : c
    }
}
