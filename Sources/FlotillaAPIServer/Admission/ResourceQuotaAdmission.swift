import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// Kubernetes' ResourceQuota admission: a write that adds to what the namespace's quotas track
/// (by their `status.hard`) is refused when any quota would go over, and otherwise charged to
/// each quota's `status.used` with a compare-and-swap on the quota before the object is
/// written, so that concurrent writes can never together pass a limit. A quota whose status the
/// controller has not filled yet does not hold writes back; one whose usage of a tracked
/// resource is unknown refuses them. When the write fails after the charge, the quota
/// controller's recalculation gives the usage back.
struct ResourceQuotaAdmission: ValidatingAdmission {
    let store: any Store
    let resources: ResourceCatalog
    let policies: AdmissionPolicyIndex

    /// How often a charge that lost a race on a quota is tried again on fresh quotas.
    static let attempts = 16

    /// One quota's new status after a charge, and the revision it was computed from.
    private struct Charge {
        var key: String
        var revision: Int64
        var quota: JSON
    }

    func validate(_ object: JSON, _ attributes: AdmissionAttributes) async throws {
        guard let namespace = attributes.namespace, policies.mayHave(.resourceQuotas, in: namespace) else { return }
        let kind = QuotaUsage.Counted(attributes.resource.plural, attributes.resource.group)
        var charged = Set<String>()
        for _ in 0..<Self.attempts {
            let quotas = try await store.namespacedObjects(resources, plural: "resourcequotas", namespace: namespace)
            var charges: [Charge] = []
            for (kv, quota) in quotas.sorted(by: { $0.kv.key < $1.kv.key }) where !charged.contains(kv.key) {
                if let updated = try charge(quota, object, kind: kind, attributes) {
                    charges.append(Charge(key: kv.key, revision: kv.modRevision, quota: updated))
                }
            }
            if attributes.dryRun { return }
            do {
                for charge in charges {
                    _ = try await store.update(charge.key, value: StoredObject.storageBytes(charge.quota), expectedRevision: charge.revision)
                    charged.insert(charge.key)
                }
                return
            } catch let error as FlotillaError where error.code == .conflict || error.code == .notFound {
                continue
            }
        }
        throw FlotillaError(.conflict, "could not update the resource quotas of namespace \(namespace): too many concurrent writes")
    }

    /// `quota` with the usage of `object` added, nil when the quota does not count it; throws
    /// Kubernetes' refusal when the quota would go over.
    private func charge(_ quota: JSON, _ object: JSON, kind: QuotaUsage.Counted, _ attributes: AdmissionAttributes) throws -> JSON? {
        guard QuotaScopes.matches(quota, object, kind: kind) else { return nil }
        let name = quota["metadata"]["name"].string ?? ""
        let hard = ResourceList(json: quota["status"]["hard"])
        let tracked = hard.names.filter { QuotaUsage.counted(by: $0) == kind }
        guard !tracked.isEmpty else { return nil }
        if kind.plural == "pods", kind.group.isEmpty, attributes.old == nil,
            let missing = QuotaUsage.missingComputeSpecifications(object, tracked: tracked)
        {
            throw attributes.forbidden(object, "failed quota: \(name): \(missing)")
        }
        var delta = QuotaUsage.usage(of: object, kind: kind).masked(to: tracked)
        if let old = attributes.old {
            delta = (delta - QuotaUsage.usage(of: old, kind: kind).masked(to: tracked))
        }
        delta = ResourceList(delta.values.filter { $0.value > .zero })
        guard !delta.isEmpty else { return nil }
        let used = ResourceList(json: quota["status"]["used"])
        let unknown = delta.names.filter { used[$0] == nil }
        if !unknown.isEmpty {
            throw attributes.forbidden(object, "status unknown for quota: \(name), resources: \(unknown.joined(separator: ","))")
        }
        let next = used + delta
        let exceeded = delta.names.filter { next[$0]! > hard[$0]! }
        if !exceeded.isEmpty {
            throw attributes.forbidden(
                object,
                "exceeded quota: \(name), requested: \(delta.masked(to: exceeded).summary), used: \(used.masked(to: exceeded).summary), limited: \(hard.masked(to: exceeded).summary)"
            )
        }
        var updated = quota
        updated[path: ["status", "used"]] = next.json
        return updated
    }
}
