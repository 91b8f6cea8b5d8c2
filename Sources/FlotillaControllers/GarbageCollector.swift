import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Follows `ownerReferences` across the workload kinds, as Kubernetes' garbage collector does:
///
/// - a dependent whose owners are all gone is deleted (Background propagation); one that lost
///   only some of its owners has those references removed;
/// - an owner deleted with propagation Orphan (finalizer `orphan`) has its references removed
///   from its dependents, then the finalizer;
/// - an owner deleted with propagation Foreground (finalizer `foregroundDeletion`) has its
///   dependents deleted (in the foreground too), and loses the finalizer once they are gone.
///
/// An owner missing from the informer caches is looked up in the API before anything is
/// deleted, so a cache that lags never costs a dependent.
final class GarbageCollector: Sendable {
    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"
    static let uidIndex = "uid"
    static let ownerIndex = "owner-uid"

    /// One object to look at: as a dependent, and as an owner being deleted.
    struct Item: Hashable, Sendable {
        var resource: ResourceRef
        var namespace: String?
        var name: String
    }

    private let client: KubernetesClient
    private let informers: [ResourceRef: Informer]
    private let logger: Logger
    private let queue = WorkQueue<Item>()

    /// - Parameter informers: the kinds whose objects are owners or dependents.
    init(client: KubernetesClient, informers: [ResourceRef: Informer], logger: Logger) {
        self.client = client
        self.informers = informers
        self.logger = logger
        for (resource, informer) in informers {
            informer.cache.addIndexer(Self.uidIndex) { [$0["metadata"]["uid"].string ?? ""] }
            informer.cache.addIndexer(Self.ownerIndex) { object in OwnerReferences.all(of: object).compactMap { $0["uid"].string } }
            informer.onAdd { [weak self] in self?.observe(resource, $0) }
            informer.onUpdate { [weak self] old, new in
                // Owners are looked at when the references change and again when an owner goes
                // (its deletion queues its dependents): a status update needs no look.
                guard Self.collectionMayChange(old, new) else { return }
                self?.observe(resource, new)
            }
            informer.onDelete { [weak self] object in
                guard let self else { return }
                // Its dependents may be orphans now; its owners may be waiting for it.
                if let uid = object["metadata"]["uid"].string { self.enqueueDependents(of: uid) }
                self.enqueueOwners(of: object)
            }
        }
    }

    /// Collects with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] item in try await process(item) }
    }

    private func observe(_ resource: ResourceRef, _ object: JSON) {
        let meta = object["metadata"]
        let finalizers = (meta["finalizers"].array ?? []).compactMap(\.string)
        let collecting = !meta["deletionTimestamp"].isNull && (finalizers.contains(Self.orphanFinalizer) || finalizers.contains(Self.foregroundFinalizer))
        if collecting || !OwnerReferences.all(of: object).isEmpty {
            queue.add(Item(resource: resource, namespace: meta["namespace"].string, name: meta["name"].string ?? ""))
        }
    }

    /// Whether an update touches what collection depends on: the owner references, the
    /// deletion timestamp or the finalizers.
    static func collectionMayChange(_ old: JSON, _ new: JSON) -> Bool {
        let before = old["metadata"]
        let after = new["metadata"]
        return before["ownerReferences"] != after["ownerReferences"] || before["deletionTimestamp"] != after["deletionTimestamp"]
            || before["finalizers"] != after["finalizers"]
    }

    private func enqueueDependents(of uid: String) {
        for (resource, informer) in informers {
            for dependent in informer.cache.byIndex(Self.ownerIndex, uid) {
                queue.add(Item(resource: resource, namespace: dependent["metadata"]["namespace"].string, name: dependent["metadata"]["name"].string ?? ""))
            }
        }
    }

    private func enqueueOwners(of object: JSON) {
        for reference in OwnerReferences.all(of: object) {
            guard let uid = reference["uid"].string else { continue }
            for (resource, informer) in informers {
                for owner in informer.cache.byIndex(Self.uidIndex, uid) {
                    queue.add(Item(resource: resource, namespace: owner["metadata"]["namespace"].string, name: owner["metadata"]["name"].string ?? ""))
                }
            }
        }
    }

    func process(_ item: Item) async throws {
        guard let informer = informers[item.resource],
            let object = informer.cache.get(namespace: item.namespace, name: item.name)
        else { return }
        let finalizers = (object["metadata"]["finalizers"].array ?? []).compactMap(\.string)
        if !object["metadata"]["deletionTimestamp"].isNull {
            if finalizers.contains(Self.orphanFinalizer) { try await orphanDependents(of: item, object) }
            if finalizers.contains(Self.foregroundFinalizer) { try await deleteDependents(of: item, object) }
        }
        try await collect(item, object)
    }

    // MARK: - Dependents

    /// Deletes `object` when none of its owners remains, or drops the references to the
    /// owners that are gone; deletes it when an owner waits for it in a foreground deletion.
    private func collect(_ item: Item, _ object: JSON) async throws {
        let references = OwnerReferences.all(of: object)
        guard !references.isEmpty, object["metadata"]["deletionTimestamp"].isNull else { return }
        var missing: [JSON] = []
        var waitingOwner = false
        for reference in references {
            switch try await ownerState(reference, namespace: item.namespace) {
            case .absent: missing.append(reference)
            case .deletingForeground: waitingOwner = true
            case .present: break
            }
        }
        let uid = object["metadata"]["uid"].string
        if missing.count == references.count || waitingOwner {
            let policy: PropagationPolicy = waitingOwner ? .foreground : .background
            do {
                _ = try await client.delete(item.resource, namespace: item.namespace, name: item.name, propagationPolicy: policy, preconditions: Preconditions(uid: uid))
                logger.debug("deleted a dependent", metadata: ["resource": "\(item.resource)", "name": .string(item.name)])
            } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
        } else if !missing.isEmpty {
            let gone = Set(missing.compactMap { $0["uid"].string })
            try await setReferences(item, object, references.filter { !gone.contains($0["uid"].string ?? "") })
        }
    }

    private enum OwnerState {
        case present, absent, deletingForeground
    }

    /// Whether the owner `reference` points at exists (with that uid), asking the API when
    /// the caches do not have it.
    private func ownerState(_ reference: JSON, namespace: String?) async throws -> OwnerState {
        guard let uid = reference["uid"].string, let name = reference["name"].string,
            let apiVersion = reference["apiVersion"].string, let kind = reference["kind"].string
        else { return .present }
        let (group, version) = apiVersion.contains("/")
            ? (String(apiVersion.split(separator: "/")[0]), String(apiVersion.split(separator: "/")[1])) : ("", apiVersion)
        guard let resource = ResourceRef(GroupVersionKind(group, version, kind)) else { return .present }
        let ownerNamespace = resource.namespaced ? namespace : nil
        var owner = informers[resource]?.cache.byIndex(Self.uidIndex, uid).first
        if owner == nil {
            do {
                let live = try await client.get(resource, namespace: ownerNamespace, name: name)
                if live["metadata"]["uid"].string == uid { owner = live }
            } catch let error as FlotillaError where error.code == .notFound {}
        }
        guard let owner else { return .absent }
        let deleting = !owner["metadata"]["deletionTimestamp"].isNull
        let foreground = (owner["metadata"]["finalizers"].array ?? []).contains(.string(Self.foregroundFinalizer))
        return deleting && foreground ? .deletingForeground : .present
    }

    // MARK: - Owners being deleted

    /// The dependents of `owner` in the caches.
    private func dependents(of owner: JSON) -> [(Item, JSON)] {
        guard let uid = owner["metadata"]["uid"].string else { return [] }
        return informers.flatMap { resource, informer in
            informer.cache.byIndex(Self.ownerIndex, uid).map { dependent in
                (Item(resource: resource, namespace: dependent["metadata"]["namespace"].string, name: dependent["metadata"]["name"].string ?? ""), dependent)
            }
        }
    }

    private func orphanDependents(of item: Item, _ owner: JSON) async throws {
        let uid = owner["metadata"]["uid"].string
        for (dependentItem, dependent) in dependents(of: owner) {
            try await setReferences(dependentItem, dependent, OwnerReferences.all(of: dependent).filter { $0["uid"].string != uid })
        }
        try await removeFinalizer(Self.orphanFinalizer, from: item, owner)
    }

    private func deleteDependents(of item: Item, _ owner: JSON) async throws {
        let dependents = dependents(of: owner)
        guard !dependents.isEmpty else {
            try await removeFinalizer(Self.foregroundFinalizer, from: item, owner)
            return
        }
        for (dependentItem, dependent) in dependents where dependent["metadata"]["deletionTimestamp"].isNull {
            do {
                _ = try await client.delete(
                    dependentItem.resource, namespace: dependentItem.namespace, name: dependentItem.name, propagationPolicy: .foreground,
                    preconditions: Preconditions(uid: dependent["metadata"]["uid"].string))
            } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
        }
        // The dependents' deletions bring the owner back; look again in a while regardless.
        queue.addAfter(item, delay: .seconds(5))
    }

    // MARK: - Writes

    private func setReferences(_ item: Item, _ object: JSON, _ references: [JSON]) async throws {
        let patch: JSON = ["metadata": ["ownerReferences": references.isEmpty ? .null : .array(references), "uid": object["metadata"]["uid"]]]
        do {
            _ = try await client.patch(item.resource, namespace: item.namespace, name: item.name, patch, type: .merge)
        } catch let error as FlotillaError where error.code == .notFound {}
    }

    private func removeFinalizer(_ finalizer: String, from item: Item, _ object: JSON) async throws {
        let remaining = (object["metadata"]["finalizers"].array ?? []).filter { $0.string != finalizer }
        let patch: JSON = ["metadata": ["finalizers": remaining.isEmpty ? .null : .array(remaining), "resourceVersion": object["metadata"]["resourceVersion"]]]
        do {
            _ = try await client.patch(item.resource, namespace: item.namespace, name: item.name, patch, type: .merge)
        } catch let error as FlotillaError where error.code == .notFound {}
    }
}
