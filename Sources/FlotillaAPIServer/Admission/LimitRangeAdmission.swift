import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// Kubernetes' LimitRanger: the LimitRanges of a namespace give new pods' containers (and init
/// containers) their default limits and requests, and refuse pods whose containers or totals,
/// and claims whose storage requests, fall outside their min, max and limit-to-request ratio.
/// The defaults applied are recorded in the `kubernetes.io/limit-ranger` annotation.
struct LimitRangeAdmission: MutatingAdmission, ValidatingAdmission {
    static let annotation = "kubernetes.io/limit-ranger"

    let store: any Store
    let resources: ResourceCatalog
    let policies: AdmissionPolicyIndex

    /// The items of the namespace's LimitRanges, or none for writes LimitRanger does not look
    /// at (updates, and kinds other than pods and claims).
    private func items(_ attributes: AdmissionAttributes) async throws -> [JSON] {
        guard attributes.old == nil, let namespace = attributes.namespace,
            attributes.isCore("pods") || attributes.isCore("persistentvolumeclaims"), policies.mayHave(.limitRanges, in: namespace)
        else { return [] }
        let ranges = try await store.namespacedObjects(resources, plural: "limitranges", namespace: namespace)
        return ranges.flatMap { $0.object["spec"]["limits"].array ?? [] }
    }

    private static func of(_ type: String, _ items: [JSON]) -> [JSON] { items.filter { $0["type"].string == type } }

    func admit(_ pod: inout JSON, _ attributes: AdmissionAttributes) async throws {
        guard attributes.isCore("pods") else { return }
        let items = Self.of("Container", try await items(attributes))
        guard !items.isEmpty else { return }
        var defaultLimits = ResourceList()
        var defaultRequests = ResourceList()
        for item in items {
            defaultLimits = ResourceList(ResourceList(json: item["default"]).values.merging(defaultLimits.values) { $1 })
            defaultRequests = ResourceList(ResourceList(json: item["defaultRequest"]).values.merging(defaultRequests.values) { $1 })
        }
        var notes: [String] = []
        for (key, noun) in [("containers", "container"), ("initContainers", "init container")] {
            guard var containers = pod["spec"][key].array else { continue }
            for i in containers.indices {
                var container = containers[i]
                for (list, defaults, word) in [("requests", defaultRequests, "request"), ("limits", defaultLimits, "limit")] {
                    let filled = Self.fill(&container["resources"][list], from: defaults)
                    if !filled.isEmpty { notes.append("\(filled.joined(separator: ", ")) \(word) for \(noun) \(container["name"].string ?? "")") }
                }
                containers[i] = container
            }
            pod[path: ["spec", key]] = .array(containers)
        }
        guard !notes.isEmpty else { return }
        pod[path: ["metadata", "annotations", Self.annotation]] = .string("LimitRanger plugin set: " + notes.joined(separator: "; "))
        pod[path: ["status", "qosClass"]] = .string(PodQOS.classify(pod["spec"]).rawValue)
    }

    /// Sets the members of `defaults` that `list` lacks; returns their names.
    private static func fill(_ list: inout JSON, from defaults: ResourceList) -> [String] {
        var members = list.object ?? [:]
        let missing = defaults.names.filter { members[$0] == nil }
        guard !missing.isEmpty else { return [] }
        for name in missing { members[name] = defaults[name]!.json }
        list = .object(members)
        return missing
    }

    func validate(_ object: JSON, _ attributes: AdmissionAttributes) async throws {
        let items = try await items(attributes)
        var problems: [String] = []
        if attributes.isCore("pods") {
            for item in Self.of("Container", items) {
                let check = LimitRangeConstraints(type: "Container", item: item)
                for container in (object["spec"]["initContainers"].array ?? []) + (object["spec"]["containers"].array ?? []) {
                    let resources = container["resources"]
                    problems += check.violations(requests: ResourceList(json: resources["requests"]), limits: ResourceList(json: resources["limits"]))
                }
            }
            for item in Self.of("Pod", items) {
                problems += LimitRangeConstraints(type: "Pod", item: item).violations(
                    requests: PodResourceTotals.requests(object["spec"]), limits: PodResourceTotals.limits(object["spec"]))
            }
        } else {
            for item in Self.of("PersistentVolumeClaim", items) {
                problems += LimitRangeConstraints(type: "PersistentVolumeClaim", item: item).violations(
                    requests: ResourceList(json: object["spec"]["resources"]["requests"]), limits: ResourceList())
            }
        }
        guard !problems.isEmpty else { return }
        throw attributes.forbidden(object, problems.count == 1 ? problems[0] : "[" + problems.joined(separator: ", ") + "]")
    }
}
