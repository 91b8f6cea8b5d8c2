import FlotillaClient
import FlotillaCore

/// Which services select which pods: a service's `spec.selector` (a map of labels) and an
/// index on the services informer that files each service with a selector under one of its
/// `key=value` pairs, so that a pod event looks up only the services that could select it
/// (those filed under one of the pod's own labels) instead of every service in the cluster.
enum ServiceSelection {
    static let index = "selector-label"

    /// Files every service with a selector under `namespace/key=value` of its smallest key.
    /// Registering again replaces the index with the same one.
    static func register(on services: Informer) {
        services.cache.addIndexer(index) { service in
            guard let selector = selector(of: service), let key = selector.keys.min(), let value = selector[key] else { return [] }
            return [indexValue(namespace: service["metadata"]["namespace"].string ?? "", key: key, value: value)]
        }
    }

    /// The service's selector; nil when it has none (or an empty one), or when it is an
    /// ExternalName service: its endpoints are not this controller's to keep.
    static func selector(of service: JSON) -> [String: String]? {
        guard service["spec"]["type"].string != "ExternalName", let members = service["spec"]["selector"].object, !members.isEmpty else {
            return nil
        }
        var selector: [String: String] = [:]
        for (key, value) in members { selector[key] = value.string ?? "" }
        return selector
    }

    /// Whether `selector` selects a pod with `labels`.
    static func matches(_ selector: [String: String], labels: JSON) -> Bool {
        selector.allSatisfy { labels[$0.key].string == $0.value }
    }

    /// The cache keys of the services in the pod's namespace whose selector matches it.
    static func services(selecting pod: JSON, in services: Informer) -> [String] {
        let labels = pod["metadata"]["labels"]
        guard let namespace = pod["metadata"]["namespace"].string, let members = labels.object else { return [] }
        var keys: [String] = []
        for (key, value) in members {
            guard let value = value.string else { continue }
            for service in services.cache.byIndex(index, indexValue(namespace: namespace, key: key, value: value)) {
                if let selector = selector(of: service), matches(selector, labels: labels) { keys.append(ObjectCache.key(for: service)) }
            }
        }
        return keys
    }

    /// The cache keys of the services whose endpoints a pod's update may change: those that
    /// select it (before or after a label change), when something an endpoint depends on
    /// changed. Most pods are behind no service, and finding that out first is cheaper than
    /// comparing the two states of the pod.
    static func services(affectedByUpdateOf old: JSON, to new: JSON, in services: Informer) -> [String] {
        var keys = self.services(selecting: new, in: services)
        if old["metadata"]["labels"] != new["metadata"]["labels"] { keys += self.services(selecting: old, in: services) }
        guard !keys.isEmpty, EndpointPods.changed(old, new) else { return [] }
        return keys
    }

    /// The pods of the service's namespace that its selector matches (found through the pod
    /// cache's label index); empty without a selector.
    static func pods(selectedBy service: JSON, from pods: Informer) -> [JSON] {
        guard let selector = selector(of: service), let key = selector.keys.min(), let value = selector[key],
            let namespace = service["metadata"]["namespace"].string
        else { return [] }
        return pods.cache.byLabel(key, value).filter { pod in
            pod["metadata"]["namespace"].string == namespace && matches(selector, labels: pod["metadata"]["labels"])
        }
    }

    private static func indexValue(namespace: String, key: String, value: String) -> String {
        namespace + "/" + key + "=" + value
    }
}
