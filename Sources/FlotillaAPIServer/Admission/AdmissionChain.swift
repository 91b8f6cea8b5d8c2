import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// What an admission step knows about a write besides the object.
struct AdmissionAttributes: Sendable {
    /// The storage resource being written.
    var resource: ResourceDefinition
    var namespace: String?
    /// The object as stored before an update; nil on create.
    var old: JSON?
    /// Whether the write is a dry run (admission may check but must not change other objects).
    var dryRun: Bool

    /// The object's name, for messages.
    func name(of object: JSON) -> String { object["metadata"]["name"].string ?? "" }

    /// Whether the write is to a core-group resource named `plural`.
    func isCore(_ plural: String) -> Bool { resource.group.isEmpty && resource.plural == plural }

    /// Kubernetes' refusal of an admission step: `pods "web" is forbidden: reason`.
    func forbidden(_ object: JSON, _ reason: String) -> FlotillaError {
        let qualified = resource.group.isEmpty ? resource.plural : "\(resource.plural).\(resource.group)"
        let name = name(of: object)
        return FlotillaError(.forbidden, "\(qualified) \"\(name)\" is forbidden: \(reason)", name: name, group: resource.group, kind: resource.plural)
    }
}

/// An admission step that may change an object before it is validated.
protocol MutatingAdmission: Sendable {
    func admit(_ object: inout JSON, _ attributes: AdmissionAttributes) async throws
}

/// An admission step that accepts or refuses a valid object just before it is written.
protocol ValidatingAdmission: Sendable {
    func validate(_ object: JSON, _ attributes: AdmissionAttributes) async throws
}

/// The API server's admission control, in Kubernetes' order: mutating steps run after defaults
/// and before validation (ServiceAccount, DefaultTolerationSeconds, LimitRanger's defaults), validating steps
/// after validation and before the write (LimitRanger's constraints, then ResourceQuota, which
/// charges the object's usage to the namespace's quotas and so must come last).
struct AdmissionChain: Sendable {
    let mutating: [any MutatingAdmission]
    let validating: [any ValidatingAdmission]
    /// Which namespaces hold quotas and limit ranges; the chain notes those it writes.
    let policies: AdmissionPolicyIndex

    /// The standard chain over `store`.
    init(store: any Store, resources: ResourceCatalog, defaultTolerations: DefaultTolerations, policies: AdmissionPolicyIndex) {
        let limitRanges = LimitRangeAdmission(store: store, resources: resources, policies: policies)
        mutating = [ServiceAccountAdmission(store: store, resources: resources), defaultTolerations, limitRanges]
        validating = [limitRanges, ResourceQuotaAdmission(store: store, resources: resources, policies: policies)]
        self.policies = policies
    }

    func admit(_ object: inout JSON, _ attributes: AdmissionAttributes) async throws {
        for step in mutating { try await step.admit(&object, attributes) }
    }

    func validate(_ object: JSON, _ attributes: AdmissionAttributes) async throws {
        if let namespace = attributes.namespace, attributes.resource.group.isEmpty,
           let kind = AdmissionPolicyIndex.Kind(rawValue: attributes.resource.plural), !attributes.dryRun {
            policies.note(kind, in: namespace)
        }
        for step in validating { try await step.validate(object, attributes) }
    }
}

extension Store {
    /// The stored objects of `plural` in the core group in `namespace`, with their revisions.
    func namespacedObjects(_ resources: ResourceCatalog, plural: String, namespace: String) async throws -> [(kv: KeyValue, object: JSON)] {
        guard let resource = resources.resource(group: "", version: "v1", plural: plural) else { return [] }
        let listed = try await list(prefix: StorageKeys.prefix(resource, namespace: namespace), after: nil, limit: 0, revision: nil)
        return try listed.items.map { ($0, try StoredObject.decode($0)) }
    }
}
