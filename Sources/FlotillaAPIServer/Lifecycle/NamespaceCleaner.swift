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
            guard !list.items.isEmpty else { continue }
            try await deleteNamespaced(resource, namespace: namespace, names: list.items.map { String($0.key.dropFirst(prefix.count)) })
            if Self.stopping { return false }
            // Objects that finalizers hold are still there.
            if try await !store.list(prefix: prefix, after: nil, limit: 1, revision: nil).items.isEmpty { remaining = true }
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

    /// Deletes the named objects at once (grace period 0), ``namespaceDeletionWidth`` at a
    /// time, until done or stopping.
    private func deleteNamespaced(_ resource: ResourceDefinition, namespace: String, names: [String]) async throws {
        var immediate = DeleteOptions()
        immediate.gracePeriodSeconds = 0
        let options = immediate
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, name) in names.enumerated() {
                if Self.stopping { break }
                if index >= Self.namespaceDeletionWidth { try await group.next() }
                group.addTask {
                    do {
                        _ = try await self.deleteObject(resource, namespace: namespace, name: name, options: options)
                    } catch let error as FlotillaError where error.code == .notFound {}
                }
            }
            try await group.waitForAll()
        }
    }
}
