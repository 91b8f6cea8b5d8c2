import FlotillaAPI

/// Store keys of API objects: `/registry/<group or "core">/<plural>/<namespace>/<name>`, without
/// the namespace segment for cluster-scoped resources.
enum StorageKeys {
    /// The key of one object.
    static func key(_ resource: ResourceDefinition, namespace: String?, name: String) -> String {
        if resource.namespaced, let namespace {
            return "/registry/\(resource.storageGroup)/\(resource.plural)/\(namespace)/\(name)"
        }
        return "/registry/\(resource.storageGroup)/\(resource.plural)/\(name)"
    }

    /// The prefix of a collection: every object of the resource, or those of one namespace.
    static func prefix(_ resource: ResourceDefinition, namespace: String?) -> String {
        if resource.namespaced, let namespace {
            return "/registry/\(resource.storageGroup)/\(resource.plural)/\(namespace)/"
        }
        return "/registry/\(resource.storageGroup)/\(resource.plural)/"
    }
}
