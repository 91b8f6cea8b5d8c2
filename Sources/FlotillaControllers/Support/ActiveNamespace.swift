import FlotillaClient
import FlotillaCore

/// Whether a namespace takes new objects: it exists and its deletion has not begun.
enum ActiveNamespace {
    /// Whether the namespace `name` in `namespaces` (a namespace informer's cache) is active.
    static func isActive(_ name: String, in namespaces: ObjectCache) -> Bool {
        guard let namespace = namespaces.get(key: name) else { return false }
        return namespace["metadata"]["deletionTimestamp"].isNull && namespace["status"]["phase"].string != "Terminating"
    }
}
