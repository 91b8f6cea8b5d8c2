import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Keeps each ResourceQuota's status true, as Kubernetes' resource quota controller does:
/// `status.hard` is the spec's, `status.used` what the namespace's objects that the quota
/// counts add up to (with ``QuotaUsage``, as admission charges them). A quota is recalculated
/// when it is created or its spec changes, when objects of a kind it counts give usage back
/// (pods deleted or finished, services deleted, …), and on a periodic full resync, which also
/// corrects what admission charged for writes that then failed. Kinds without an informer are
/// listed through the API.
final class ResourceQuotaController: Sendable {
    static let resource = ResourceRef(group: "", version: "v1", plural: "resourcequotas", kind: "ResourceQuota", namespaced: true)

    private let client: KubernetesClient
    private let quotas: Informer
    private let informers: [QuotaUsage.Counted: Informer]
    private let catalog: ResourceCatalog
    private let resyncPeriod: Duration
    private let logger: Logger
    private let queue = WorkQueue<String>()

    /// - Parameters:
    ///   - quotas: the informer of resource quotas (it also counts `resourcequotas`).
    ///   - informers: informers of the kinds quotas count, whose changes trigger recalculation.
    ///   - resyncPeriod: how often every quota is recalculated.
    init(
        client: KubernetesClient, quotas: Informer, informers: [Informer], catalog: ResourceCatalog = .shared, resyncPeriod: Duration,
        logger: Logger
    ) {
        self.client = client
        self.quotas = quotas
        self.catalog = catalog
        self.resyncPeriod = resyncPeriod
        self.logger = logger
        var byKind: [QuotaUsage.Counted: Informer] = [:]
        for informer in informers + [quotas] { byKind[QuotaUsage.Counted(informer.resource.plural, informer.resource.group)] = informer }
        self.informers = byKind
        quotas.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        quotas.onUpdate { [queue] old, new in
            if old["spec"] != new["spec"] || new["status"]["hard"] != new["spec"]["hard"] { queue.add(ObjectCache.key(for: new)) }
        }
        // New objects were charged by admission, so only what gives usage back triggers a
        // recalculation: counting from a cache that has not seen a write admission just charged
        // would undo that charge.
        for (kind, informer) in byKind {
            let released: @Sendable (JSON) -> Void = { [weak self] object in self?.enqueueQuotas(counting: kind, of: object) }
            informer.onDelete(released)
            informer.onUpdate { [quotas] old, new in
                guard let namespace = new["metadata"]["namespace"].string, !quotas.cache.list(namespace: namespace).isEmpty else { return }
                let before = QuotaUsage.usage(of: old, kind: kind)
                let after = QuotaUsage.usage(of: new, kind: kind)
                if before.values.contains(where: { name, q in (after[name] ?? .zero) < q }) { released(new) }
            }
        }
    }

    /// Queues the quotas of `object`'s namespace that count objects of `kind`.
    private func enqueueQuotas(counting kind: QuotaUsage.Counted, of object: JSON) {
        guard let namespace = object["metadata"]["namespace"].string else { return }
        for quota in quotas.cache.list(namespace: namespace) {
            let names = (quota["spec"]["hard"].object ?? [:]).keys
            if names.contains(where: { QuotaUsage.counted(by: $0) == kind }) { queue.add(ObjectCache.key(for: quota)) }
        }
    }

    /// Syncs quotas with `workers` workers, and all of them every resync period, until cancelled.
    func run(workers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: resyncPeriod)
                    for key in quotas.cache.keys { queue.add(key) }
                }
            }
            await queue.runWorkers(workers) { [self] key in try await sync(key) }
            group.cancelAll()
        }
    }

    func sync(_ key: String) async throws {
        guard let quota = quotas.cache.get(key: key), let namespace = quota["metadata"]["namespace"].string else { return }
        let hard = ResourceList(json: quota["spec"]["hard"])
        var byKind: [QuotaUsage.Counted: [String]] = [:]
        for name in hard.names {
            if let kind = QuotaUsage.counted(by: name) { byKind[kind, default: []].append(name) }
        }
        var used = ResourceList(Dictionary(uniqueKeysWithValues: hard.names.map { ($0, Quantity.zero) }))
        let now = Date()
        for (kind, names) in byKind {
            for object in try await objects(of: kind, namespace: namespace) where QuotaScopes.matches(quota, object, kind: kind) {
                for (name, q) in QuotaUsage.usage(of: object, kind: kind, now: now).masked(to: names).values {
                    used[name] = used[name]! + q
                }
            }
        }
        var status: JSON = quota["status"].object == nil ? .emptyObject : quota["status"]
        status["hard"] = hard.json
        status["used"] = used.json
        try await StatusPatch.write(status, to: quota, Self.resource, client: client, conditional: true)
    }

    /// The objects of `kind` in `namespace`: from its informer, or else listed (none for a kind
    /// the API does not serve).
    private func objects(of kind: QuotaUsage.Counted, namespace: String) async throws -> [JSON] {
        if let informer = informers[kind] { return informer.cache.list(namespace: namespace) }
        let served = catalog.groupVersions.lazy.filter { $0.group == kind.group }
            .compactMap { self.catalog.resource(group: $0.group, version: $0.version, plural: kind.plural) }.first
        guard let served, served.namespaced else { return [] }
        return try await client.listAll(ResourceRef(served), namespace: namespace).items
    }
}
