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
    /// How many objects of a terminating namespace are deleted at once: their writes share the
    /// store's commits instead of waiting for one each.
    static let namespaceDeletionWidth = 16

    /// Deletes the objects of a terminating namespace, then the namespace when it is empty.
    /// Returns whether the namespace is gone. A server that is stopping leaves the rest for
    /// its next start: the namespace stays Terminating meanwhile.
    @discardableResult
    func finishNamespaceDeletion(_ namespace: String) async throws -> Bool {
        var remaining = false
        var seen = Set<String>()
        for resource in resources.all where resource.namespaced && !ReviewKinds.handles(resource) && !ResourceMetrics.handles(resource) {
            let prefix = StorageKeys.prefix(resource, namespace: namespace)
            guard seen.insert(prefix).inserted else { continue }
            let list = try await store.list(prefix: prefix, after: nil, limit: 0, revision: nil)
            let names = list.items.map { String($0.key.dropFirst(prefix.count)) }
            if try await deleteNamespaced(resource, namespace: namespace, names: names) { remaining = true }
            if Self.stopping { return false }
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

    /// Whether the task running the cleanup is being stopped.
    private static var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    /// Deletes the named objects, ``namespaceDeletionWidth`` at a time, until done or stopping;
    /// returns whether any may still be there (held by a finalizer, or not reached).
    private func deleteNamespaced(_ resource: ResourceDefinition, namespace: String, names: [String]) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var remaining = false
            for (index, name) in names.enumerated() {
                if Self.stopping {
                    remaining = true
                    break
                }
                if index >= Self.namespaceDeletionWidth, let held = try await group.next() { remaining = remaining || held }
                group.addTask { try await self.deleteForCleanup(resource, namespace: namespace, name: name) }
            }
            for try await held in group { remaining = remaining || held }
            return remaining
        }
    }

    /// Deletes one object at once (grace period 0); returns whether it is still there.
    private func deleteForCleanup(_ resource: ResourceDefinition, namespace: String, name: String) async throws -> Bool {
        var options = DeleteOptions()
        options.gracePeriodSeconds = 0
        do {
            let outcome = try await deleteObject(resource, namespace: namespace, name: name, options: options)
            guard outcome.revision != nil else { return false }
            return try await store.get(StorageKeys.key(resource, namespace: namespace, name: name)) != nil
        } catch let error as FlotillaError where error.code == .notFound {
            return false
        }
    }
}
