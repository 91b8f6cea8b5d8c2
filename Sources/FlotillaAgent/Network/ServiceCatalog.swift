import FlotillaClient
import FlotillaCore
import Logging

/// The cluster's Services and EndpointSlices as the node sees them: two cluster-wide
/// informers that the node's consumers share (the service proxy, cluster DNS, the pods'
/// service environment variables) instead of each watching on its own. Consumers register
/// their handlers on ``services`` and ``endpointSlices`` before ``run()``.
public final class ServiceCatalog: Sendable {
    /// The name of the service every pod gets the address of, whatever its namespace.
    public static let apiServerService = (namespace: "default", name: "kubernetes")

    public let services: Informer
    public let endpointSlices: Informer

    public init(client: KubernetesClient, logger: Logger) {
        services = Informer(client: client, resource: .services, logger: logger)
        endpointSlices = Informer(client: client, resource: .endpointSlices, logger: logger)
    }

    /// Lists and watches both until the calling task is cancelled.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [services] in try await services.run() }
            group.addTask { [endpointSlices] in try await endpointSlices.run() }
            try await group.waitForAll()
        }
    }

    /// The services a pod of `namespace` learns of in its environment (kubelet's rule): those of
    /// its namespace, and `default/kubernetes`. Waits for the first list of services.
    public func environmentServices(namespace: String) async throws -> [JSON] {
        try await services.waitForSync()
        var found = services.cache.list(namespace: namespace)
        if namespace != Self.apiServerService.namespace,
           let master = services.cache.get(namespace: Self.apiServerService.namespace, name: Self.apiServerService.name) {
            found.append(master)
        }
        return found
    }
}
