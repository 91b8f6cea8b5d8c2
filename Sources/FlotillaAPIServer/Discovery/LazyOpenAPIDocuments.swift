import FlotillaAPI
import Synchronization

/// The OpenAPI documents of a pair of catalogs, generated on first use (most servers made in
/// tests never serve them) and then kept.
final class LazyOpenAPIDocuments: Sendable {
    private let resources: ResourceCatalog
    private let schemas: SchemaCatalog
    private let cached = Mutex<OpenAPIDocuments?>(nil)

    init(resources: ResourceCatalog, schemas: SchemaCatalog) {
        self.resources = resources
        self.schemas = schemas
    }

    var documents: OpenAPIDocuments {
        cached.withLock { value in
            if let value { return value }
            let made = OpenAPIDocuments(resources: resources, schemas: schemas)
            value = made
            return made
        }
    }
}
