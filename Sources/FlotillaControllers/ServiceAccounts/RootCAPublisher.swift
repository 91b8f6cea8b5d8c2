import FlotillaClient
import FlotillaCore
import Logging

/// Keeps the ConfigMap `kube-root-ca.crt` in every namespace, holding the cluster CA under
/// `ca.crt`, as Kubernetes' root CA publisher does: pods read it from their service account
/// volume to trust the API server. It is made when a namespace appears, made again when
/// deleted, and its `data` put back when changed; a namespace being deleted gets none.
final class RootCAPublisher: Sendable {
    static let configMapName = "kube-root-ca.crt"
    static let description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    private let client: KubernetesClient
    private let namespaces: Informer
    private let configMaps: Informer
    private let certificatePEM: String
    private let logger: Logger
    private let queue = WorkQueue<String>()

    init(client: KubernetesClient, namespaces: Informer, configMaps: Informer, certificatePEM: String, logger: Logger) {
        self.client = client
        self.namespaces = namespaces
        self.configMaps = configMaps
        // A bundle file ends with a newline, so that bundles can be joined.
        self.certificatePEM = certificatePEM.hasSuffix("\n") ? certificatePEM : certificatePEM + "\n"
        self.logger = logger
        namespaces.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        namespaces.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        configMaps.onUpdate { [queue] _, new in Self.enqueueNamespace(of: new, queue) }
        configMaps.onDelete { [queue] in Self.enqueueNamespace(of: $0, queue) }
    }

    private static func enqueueNamespace(of configMap: JSON, _ queue: WorkQueue<String>) {
        guard configMap["metadata"]["name"].string == configMapName, let namespace = configMap["metadata"]["namespace"].string else { return }
        queue.add(namespace)
    }

    /// Syncs namespaces with `workers` workers until cancelled, each namespace once at the start.
    func run(workers: Int) async {
        for key in namespaces.cache.keys { queue.add(key) }
        await queue.runWorkers(workers) { [self] namespace in try await sync(namespace) }
    }

    func sync(_ namespace: String) async throws {
        guard ActiveNamespace.isActive(namespace, in: namespaces.cache) else { return }
        let data: JSON = ["ca.crt": .string(certificatePEM)]
        do {
            if var existing = configMaps.cache.get(key: ObjectCache.key(namespace: namespace, name: Self.configMapName)) {
                guard existing["data"] != data else { return }
                existing["data"] = data
                _ = try await client.update(.configMaps, existing)
            } else {
                let configMap: JSON = [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": [
                        "name": .string(Self.configMapName), "namespace": .string(namespace),
                        "annotations": ["kubernetes.io/description": .string(Self.description)],
                    ],
                    "data": data,
                ]
                _ = try await client.create(.configMaps, configMap)
                logger.debug("published the cluster CA", metadata: ["namespace": .string(namespace)])
            }
        } catch let error as FlotillaError where [.alreadyExists, .notFound, .forbidden].contains(error.code) {
            // Someone made it first (the cache will show it), or the namespace is gone or going.
        }
    }
}
