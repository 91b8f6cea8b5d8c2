import FlotillaCore

/// An image name taken apart as a registry reads it: `registry.example.com:5000/team/app:1.2`
/// is registry `registry.example.com:5000`, repository `team/app`, tag `1.2`. Names without a
/// registry are Docker Hub's (`busybox` is `docker.io/library/busybox:latest`).
public struct ImageReference: Sendable, Equatable {
    /// The registry's `HOST[:PORT]` as named (`docker.io` for Docker Hub).
    public var registry: String
    public var repository: String
    /// The tag; `latest` when neither a tag nor a digest is given.
    public var tag: String?
    /// `sha256:…` when the name pins one.
    public var digest: String?

    /// Parses `name`; throws `badRequest` for a name that is not an image reference.
    public init(_ name: String) throws {
        var rest = Substring(name)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let slash = rest.firstIndex(of: "/")
        if let slash, Self.namesRegistry(rest[..<slash]) {
            registry = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        } else {
            registry = "docker.io"
        }
        if let colon = rest.lastIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        repository = registry == "docker.io" && !rest.contains("/") ? "library/" + rest : String(rest)
        if tag == nil && digest == nil { tag = "latest" }
        guard !repository.isEmpty, !repository.hasSuffix("/"), tag?.isEmpty != true,
            digest.map({ $0.hasPrefix("sha256:") && $0.count == 71 }) ?? true
        else {
            throw FlotillaError(.badRequest, "\"\(name)\" is not a valid image reference")
        }
    }

    /// A first path component names a registry when it has a dot or a port, or is `localhost`.
    private static func namesRegistry(_ component: Substring) -> Bool {
        component.contains(".") || component.contains(":") || component == "localhost"
    }

    /// The host the distribution API is served on (Docker Hub's is `registry-1.docker.io`).
    public var apiHost: String { registry == "docker.io" ? "registry-1.docker.io" : registry }

    /// The registry's host without its port.
    var hostName: String {
        if registry.hasPrefix("["), let end = registry.firstIndex(of: "]") { return String(registry[...end]) }
        return String(registry.split(separator: ":").first ?? "")
    }

    /// Whether the registry is on loopback (`localhost`, `127.x.x.x`, `[::1]`), reached over plain HTTP.
    public var isLoopback: Bool {
        hostName == "localhost" || hostName.hasPrefix("127.") || hostName == "[::1]"
    }

    /// The name with its tag: `registry/repository:tag`.
    public var tagged: String? { tag.map { "\(registry)/\(repository):\($0)" } }

    /// The name pinned to `digest`: `registry/repository@sha256:…`.
    public func digested(_ digest: String) -> String { "\(registry)/\(repository)@\(digest)" }

    /// What a manifest request asks for: the digest when pinned, else the tag.
    public var manifestReference: String { digest ?? tag ?? "latest" }
}
