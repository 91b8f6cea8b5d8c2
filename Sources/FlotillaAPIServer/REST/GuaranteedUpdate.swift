import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// Which part of an object an update may change.
enum UpdateScope: Sendable {
    /// The main resource: everything but `status` when the kind has a status subresource.
    case main
    /// The `status` subresource: only `status`.
    case status
    /// A change the server makes itself (binding a pod): spec and status may change and the
    /// kind's update rules are not applied.
    case system
}

extension APIServer {
    /// How often a write that lost a compare-and-swap race is retried on a fresh read. Every
    /// round has a winner, so this bounds the contention a write survives.
    static let writeAttempts = 64

    /// Reads the stored object, turns it into the desired one with `transform`, and writes it
    /// with a compare-and-swap on the revision read, applying update semantics (system fields
    /// kept, status scope, defaults, generation, validation, field ownership).
    ///
    /// When the desired object carries a `metadata.resourceVersion`, it must be the stored one
    /// (409 otherwise). A lost race is retried on a fresh read, where a client's precondition
    /// then fails and a patch applies again. A no-op update
    /// writes nothing and returns the stored version. An object being deleted whose finalizers
    /// become empty is deleted. Through a version other than the storage version, `transform`
    /// sees and returns objects of that version.
    func guaranteedUpdate(
        _ served: ResourceDefinition, namespace: String?, name: String, options: WriteOptions, manager: String?,
        scope: UpdateScope = .main, transform: (JSON) throws -> JSON
    ) async throws -> ObjectVersion {
        let resource = storageResource(of: served)
        let key = StorageKeys.key(resource, namespace: namespace, name: name)
        let conflict = FlotillaError.conflict(resource: resource.plural, group: resource.group, name: name)
        let notFound = FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
        for _ in 0..<Self.writeAttempts {
            guard let kv = try await store.get(key) else { throw notFound }
            let current = try storedObject(kv)
            let currentServed = VersionConversion.served(current, as: served)
            let desired = try storageObject(try transform(currentServed), old: currentServed, writtenThrough: served)
            let requested = desired["metadata"]["resourceVersion"].string ?? ""
            if !requested.isEmpty, requested != String(kv.modRevision) { throw conflict }

            let old = StoredObject.canonical(current, resourceVersion: nil)
            var next = prepareUpdate(resource, old: old, new: desired, scope: scope)
            if scope == .main { next = allocations.carryOver(resource, old: old, new: next) }
            if !Self.statusUpdateKeepsValidity(resource, scope: scope) {
                try validate(resource, next, old: scope == .system ? JSON?.none : old)
            }
            if next.isEquivalent(to: old) { return ObjectVersion(kv) }
            var reservation: Reservation?
            if scope == .main, !Self.finalizedDeletion(next) {
                let attributes = AdmissionAttributes(resource: resource, namespace: resource.namespaced ? namespace : nil, old: old, dryRun: options.dryRun)
                try await admission.validate(next, attributes)
                reservation = try await allocations.reserve(resource, &next, old: old, dryRun: options.dryRun)
            }
            next = recordFieldManager(resource, old: old, new: next, manager: manager, subresource: scope == .status ? "status" : nil)
            let bytes = storageBytes(next, key: key)

            if Self.finalizedDeletion(next) {
                if options.dryRun { return ObjectVersion(stored: bytes, revision: kv.modRevision) }
                do {
                    let (_, revision) = try await store.delete(key, expectedRevision: kv.modRevision)
                    namespaces.wrote(key, value: nil, revision: revision)
                    await allocations.release(resource, old: old, new: nil)
                    return ObjectVersion(stored: bytes, revision: kv.modRevision, parsed: next)
                } catch let error as FlotillaError where error.code == .conflict {
                    continue
                }
            }
            if options.dryRun { return ObjectVersion(stored: bytes, revision: kv.modRevision, parsed: next) }
            do {
                let revision = try await store.update(key, value: bytes, expectedRevision: kv.modRevision)
                namespaces.wrote(key, value: bytes, revision: revision)
                await allocations.release(resource, old: old, new: next)
                return ObjectVersion(stored: bytes, revision: revision, parsed: next)
            } catch let error as FlotillaError where error.code == .conflict {
                await reservation?.release()
                continue
            } catch {
                await reservation?.release()
                if let error = error as? FlotillaError, error.code == .notFound { throw notFound }
                throw error
            }
        }
        throw conflict
    }

    /// The object to store when `new` replaces `old` (both without resourceVersion): system
    /// fields come from `old`, the scope decides what may change, then defaults and generation.
    func prepareUpdate(_ resource: ResourceDefinition, old: JSON, new: JSON, scope: UpdateScope) -> JSON {
        let oldMeta = old["metadata"].object ?? [:]
        var object: JSON
        switch scope {
        case .status:
            object = old
            object["status"] = new["status"]
        case .main, .system:
            object = StoredObject.canonical(new, resourceVersion: nil)
            var meta = object["metadata"].object ?? [:]
            if (meta["uid"]?.string ?? "").isEmpty { meta["uid"] = oldMeta["uid"] }
            for field in ["creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                meta[field] = oldMeta[field]
            }
            if meta["managedFields"] == nil { meta["managedFields"] = oldMeta["managedFields"] }
            if resource.namespaced, (meta["namespace"]?.string ?? "").isEmpty { meta["namespace"] = oldMeta["namespace"] }
            meta.removeValue(forKey: "selfLink")
            object["metadata"] = .object(meta.filter { !$0.value.isNull })
            if resource.hasStatusSubresource, scope == .main { object["status"] = old["status"] }
            resource.defaulter?(&object)
        }
        if let generation = oldMeta["generation"]?.int {
            object[path: ["metadata", "generation"]] = .int(Self.specChanged(old, object) ? generation + 1 : generation)
        }
        return object
    }

    /// Whether an update through `scope` cannot make a valid stored object of `resource`
    /// invalid, so validating it again is skipped: a pod's status update keeps the pod's
    /// metadata and spec (``prepareUpdate(_:old:new:scope:)``), which were validated when
    /// written, and pod validation reads nothing else. (Kubernetes does not validate a pod's
    /// spec again on a status update either.) The hollow nodes' and agents' status reports,
    /// one or more per pod, take this path.
    static func statusUpdateKeepsValidity(_ resource: ResourceDefinition, scope: UpdateScope) -> Bool {
        scope == .status && resource.group.isEmpty && resource.plural == "pods"
    }

    /// Whether anything outside `metadata` and `status` differs.
    static func specChanged(_ a: JSON, _ b: JSON) -> Bool {
        var x = a
        var y = b
        for field in ["metadata", "status"] {
            x[field] = nil
            y[field] = nil
        }
        return !x.isEquivalent(to: y)
    }

    /// Whether an object is being deleted, has no finalizers left and no grace period to wait:
    /// then an update removes it.
    static func finalizedDeletion(_ object: JSON) -> Bool {
        let meta = object["metadata"]
        guard !meta["deletionTimestamp"].isNull else { return false }
        return (meta["finalizers"].array ?? []).isEmpty && (meta["deletionGracePeriodSeconds"].int ?? 0) == 0
    }
}
