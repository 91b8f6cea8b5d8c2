import FlotillaClient
import FlotillaCore
import Logging

/// Gives every namespace the service account `default`, as Kubernetes' service account
/// controller does: when the namespace appears, and again when someone deletes it. A namespace
/// that is being deleted gets none.
///
/// Event-driven from the namespace and service account informers through a work queue keyed by
/// namespace.
final class ServiceAccountsController: Sendable {
    /// The service account every namespace has.
    static let defaultName = "default"

    private let client: KubernetesClient
    private let namespaces: Informer
    private let serviceAccounts: Informer
    private let logger: Logger
    private let queue = WorkQueue<String>()

    init(client: KubernetesClient, namespaces: Informer, serviceAccounts: Informer, logger: Logger) {
        self.client = client
        self.namespaces = namespaces
        self.serviceAccounts = serviceAccounts
        self.logger = logger
        namespaces.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        namespaces.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        serviceAccounts.onDelete { [queue] account in
            guard account["metadata"]["name"].string == Self.defaultName, let namespace = account["metadata"]["namespace"].string else { return }
            queue.add(namespace)
        }
    }

    /// Syncs namespaces with `workers` workers until cancelled, each namespace once at the start.
    func run(workers: Int) async {
        for key in namespaces.cache.keys { queue.add(key) }
        await queue.runWorkers(workers) { [self] namespace in try await sync(namespace) }
    }

    func sync(_ namespace: String) async throws {
        guard ActiveNamespace.isActive(namespace, in: namespaces.cache),
            serviceAccounts.cache.get(key: ObjectCache.key(namespace: namespace, name: Self.defaultName)) == nil
        else { return }
        let account: JSON = [
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": ["name": .string(Self.defaultName), "namespace": .string(namespace)],
        ]
        do {
            _ = try await client.create(.serviceAccounts, account)
            logger.debug("created the default service account", metadata: ["namespace": .string(namespace)])
        } catch let error as FlotillaError where [.alreadyExists, .notFound, .forbidden].contains(error.code) {
            // Someone made it first, or the namespace is gone or being deleted.
        }
    }
}
