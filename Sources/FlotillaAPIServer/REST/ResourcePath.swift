import FlotillaAPI

/// A request path resolved to a resource: which resource, which namespace, which object and
/// which subresource.
struct ResourcePath: Sendable {
    var resource: ResourceDefinition
    /// The namespace segment of the path, if any (`/namespaces/<ns>/<plural>`).
    var namespace: String?
    var name: String?
    var subresource: String?

    /// The outcome of resolving a path.
    enum Resolution {
        /// Not a resource path at all (discovery, version, health, ...).
        case notResource
        /// A resource path, but no such resource is served.
        case unknown
        case resource(ResourcePath)
    }

    /// Resolves `/api/v1/...` and `/apis/<group>/<version>/...` paths against `catalog`.
    static func resolve(_ path: String, catalog: ResourceCatalog) -> Resolution {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let group: String
        let version: String
        if segments.first == "api", segments.count >= 2 {
            group = ""
            version = segments[1]
            segments.removeFirst(2)
        } else if segments.first == "apis", segments.count >= 3 {
            group = segments[1]
            version = segments[2]
            segments.removeFirst(3)
        } else {
            return .notResource
        }
        if segments.isEmpty { return .notResource }
        guard segments.allSatisfy({ !$0.isEmpty }) else { return .unknown }

        if segments[0] == "namespaces", segments.count >= 3,
            let namespaced = catalog.resource(group: group, version: version, plural: segments[2]), namespaced.namespaced
        {
            guard segments.count <= 5 else { return .unknown }
            return .resource(ResourcePath(
                resource: namespaced, namespace: segments[1],
                name: segments.count >= 4 ? segments[3] : nil,
                subresource: segments.count == 5 ? segments[4] : nil))
        }
        guard segments.count <= 3, let resource = catalog.resource(group: group, version: version, plural: segments[0]) else {
            return .unknown
        }
        return .resource(ResourcePath(
            resource: resource, namespace: nil,
            name: segments.count >= 2 ? segments[1] : nil,
            subresource: segments.count == 3 ? segments[2] : nil))
    }
}
