import FlotillaAPI

/// Serves the paths that are not resources: version, discovery, OpenAPI and health.
public struct NonResourceRoutes: Sendable {
    public let resources: ResourceCatalog
    public let schemas: SchemaCatalog

    public init(resources: ResourceCatalog = .shared, schemas: SchemaCatalog = .shared) {
        self.resources = resources
        self.schemas = schemas
    }

    /// The reply for a non-resource path, or nil when `request.path` is not one of them.
    public func handle(_ request: APIRequest) async -> APIResponse? {
        nil
    }
}
