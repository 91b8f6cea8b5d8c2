import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Logging
import ServiceLifecycle

/// Finishes the deletion of terminating namespaces: deletes every namespaced object in them
/// and, once none is left, the namespace itself. Objects held by finalizers are waited for.
///
/// Run it in the server's `ServiceGroup`; a namespace controller replaces it later.
public struct NamespaceCleaner: Service {
    let server: APIServer
    let interval: Duration

    public init(server: APIServer, interval: Duration = .seconds(1)) {
        self.server = server
        self.interval = interval
    }

    public func run() async throws {
        await server.ready()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for namespace in server.namespaces.terminating {
                do {
                    try await server.finishNamespaceDeletion(namespace)
                } catch {
                    server.logger.warning("namespace cleanup failed", metadata: ["namespace": "\(namespace)", "error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

extension APIServer {
    /// Deletes the objects of a terminating namespace, then the namespace when it is empty.
    /// Returns whether the namespace is gone.
    @discardableResult
    func finishNamespaceDeletion(_ namespace: String) async throws -> Bool {
        var options = DeleteOptions()
        options.gracePeriodSeconds = 0
        var remaining = false
        var seen = Set<String>()
        for resource in resources.all where resource.namespaced && !ReviewKinds.handles(resource) && !ResourceMetrics.handles(resource) {
            let prefix = StorageKeys.prefix(resource, namespace: namespace)
            guard seen.insert(prefix).inserted else { continue }
            let list = try await store.list(prefix: prefix, after: nil, limit: 0, revision: nil)
            for kv in list.items {
                let name = String(kv.key.dropFirst(prefix.count))
                do {
                    let outcome = try await deleteObject(resource, namespace: namespace, name: name, options: options)
                    if outcome.revision != nil, try await store.get(kv.key) != nil { remaining = true }
                } catch let error as FlotillaError where error.code == .notFound {
                    continue
                }
            }
        }
        guard !remaining, let namespaces = resources.resource(group: "", version: "v1", plural: "namespaces") else { return false }
        do {
            let key = StorageKeys.key(namespaces, namespace: nil, name: namespace)
            let (_, revision) = try await store.delete(key, expectedRevision: nil)
            self.namespaces.wrote(key, value: nil, revision: revision)
        } catch let error as FlotillaError where error.code == .notFound {
            return true
        }
        return true
    }
}
