import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Logging

/// Keeps an `Endpoints` object for every service with a selector (ExternalName services and
/// services without a selector keep whatever endpoints others maintain): same name, the
/// service's labels, and the ``EndpointSubsets`` of the pods it selects. An Endpoints object
/// is written only when its subsets or labels differ from what the cache shows, and deleted
/// when its service goes.
///
/// Event-driven from the service, pod and endpoints informers through a work queue keyed by
/// service; a pod event reaches only the services selecting the pod (``ServiceSelection``).
/// A write from a stale cache fails with a conflict and the service is synced again.
final class EndpointsController: Sendable {
    /// The label every Endpoints and EndpointSlice of a headless service carries.
    static let headlessLabel = "service.kubernetes.io/headless"

    private let client: KubernetesClient
    private let services: Informer
    private let pods: Informer
    private let endpoints: Informer
    private let logger: Logger
    private let queue = WorkQueue<String>()

    init(client: KubernetesClient, services: Informer, pods: Informer, endpoints: Informer, logger: Logger) {
        self.client = client
        self.services = services
        self.pods = pods
        self.endpoints = endpoints
        self.logger = logger
        ServiceSelection.register(on: services)
        services.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        services.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        services.onDelete { [queue] in queue.add(ObjectCache.key(for: $0)) }
        pods.onAdd { [weak self] pod in self?.enqueueServices(selecting: pod) }
        pods.onUpdate { [services, queue] old, new in
            for key in ServiceSelection.services(affectedByUpdateOf: old, to: new, in: services) { queue.add(key) }
        }
        pods.onDelete { [weak self] pod in self?.enqueueServices(selecting: pod) }
        // Endpoints of a service changed or removed by someone else are put back (the
        // service's key is theirs); those without a service are not this controller's.
        endpoints.onUpdate { [weak self] _, new in self?.enqueueService(of: new) }
        endpoints.onDelete { [weak self] in self?.enqueueService(of: $0) }
    }

    /// Syncs services with `workers` workers until cancelled. First it looks at every
    /// Endpoints object once, so those left by services deleted while it was not running go.
    func run(workers: Int) async {
        for key in endpoints.cache.keys { queue.add(key) }
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func enqueueService(of endpoints: JSON) {
        let key = ObjectCache.key(for: endpoints)
        if services.cache.get(key: key) != nil { queue.add(key) }
    }

    private func enqueueServices(selecting pod: JSON) {
        for key in ServiceSelection.services(selecting: pod, in: services) { queue.add(key) }
    }

    func sync(_ key: String) async throws {
        let (namespace, name) = Self.split(key)
        guard let service = services.cache.get(key: key) else {
            // The service cache may not have seen a service created a moment ago (its
            // Endpoints can arrive first through the other informer): only a service the API
            // does not have either takes its Endpoints with it.
            guard try await !serviceExists(namespace: namespace, name: name) else { return }
            do {
                try await client.delete(.endpoints, namespace: namespace, name: name)
            } catch let error as FlotillaError where error.code == .notFound {}
            return
        }
        guard ServiceSelection.selector(of: service) != nil else { return }
        let pods = ServiceSelection.pods(selectedBy: service, from: pods)
        let subsets = JSON.array(EndpointSubsets.make(service: service, pods: pods))
        let labels = Self.labels(of: service)
        if var existing = endpoints.cache.get(key: key) {
            let current = JSON.array(existing["subsets"].array ?? [])
            let currentLabels = JSON.object(existing["metadata"]["labels"].object ?? [:])
            if current.isEquivalent(to: subsets) && currentLabels.isEquivalent(to: labels) { return }
            existing["metadata"]["labels"] = labels
            existing["subsets"] = subsets
            _ = try await client.update(.endpoints, existing)
        } else {
            let object: JSON = [
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels], "subsets": subsets,
            ]
            _ = try await client.create(.endpoints, object)
        }
    }

    private func serviceExists(namespace: String, name: String) async throws -> Bool {
        do {
            _ = try await client.get(.services, namespace: namespace, name: name)
            return true
        } catch let error as FlotillaError where error.code == .notFound {
            return false
        }
    }

    /// The service's labels, with ``headlessLabel`` exactly when the service is headless.
    static func labels(of service: JSON) -> JSON {
        var labels = service["metadata"]["labels"].object ?? [:]
        labels[headlessLabel] = service["spec"]["clusterIP"].string == "None" ? "" : nil
        return .object(labels)
    }

    private static func split(_ key: String) -> (namespace: String, name: String) {
        let parts = key.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("", key)
    }
}
