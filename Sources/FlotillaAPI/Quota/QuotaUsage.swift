import FlotillaCore
import Foundation

/// What an object costs against resource quotas, as Kubernetes' quota evaluators count it. The
/// API server's admission and the quota controller both count with it, so that what one charges
/// the other recalculates alike.
public enum QuotaUsage {
    /// A kind of object quotas count: its plural and API group.
    public struct Counted: Sendable, Hashable {
        public var plural: String
        public var group: String

        public init(_ plural: String, _ group: String = "") {
            self.plural = plural
            self.group = group
        }

        /// `deployments.apps`, or `pods` for the core group, as `count/` names write it.
        public var qualified: String { group.isEmpty ? plural : "\(plural).\(group)" }
    }

    static let pods = Counted("pods")
    static let services = Counted("services")
    static let claims = Counted("persistentvolumeclaims")
    /// Core kinds whose plural is also a quota resource name counting them.
    static let legacyCounts: Set<String> = ["configmaps", "secrets", "resourcequotas", "replicationcontrollers"]
    static let storageClassSuffix = ".storageclass.storage.k8s.io/"

    /// The kind of object a quota resource name counts, or nil for a name no object adds to.
    public static func counted(by name: String) -> Counted? {
        if name.hasPrefix("count/") {
            let resource = name.dropFirst("count/".count)
            guard let dot = resource.firstIndex(of: ".") else { return Counted(String(resource)) }
            return Counted(String(resource[..<dot]), String(resource[resource.index(after: dot)...]))
        }
        if legacyCounts.contains(name) { return Counted(name) }
        if name.hasPrefix("services") { return services }
        if name == "persistentvolumeclaims" || name == "requests.storage" || name.contains(storageClassSuffix) { return claims }
        let computePrefixes = ["pods", "cpu", "memory", "ephemeral-storage", "hugepages-", "requests.", "limits."]
        return computePrefixes.contains(where: name.hasPrefix) ? pods : nil
    }

    /// The quota resources `object` (of `kind`) adds to.
    public static func usage(of object: JSON, kind: Counted, now: Date = Date()) -> ResourceList {
        var usage = ResourceList(["count/" + kind.qualified: Quantity(nanos: Quantity.nanosPerUnit)])
        switch kind {
        case pods: usage = usage + podUsage(object, now: now)
        case services: usage = usage + serviceUsage(object)
        case claims: usage = usage + claimUsage(object)
        default: if kind.group.isEmpty, legacyCounts.contains(kind.plural) { usage[kind.plural] = one }
        }
        return usage
    }

    static let one = Quantity(nanos: Quantity.nanosPerUnit)

    /// Whether a pod still holds its resources: not Succeeded or Failed, and not past the end of
    /// a graceful deletion.
    public static func podIsCharged(_ pod: JSON, now: Date = Date()) -> Bool {
        let phase = pod["status"]["phase"].string
        if phase == "Succeeded" || phase == "Failed" { return false }
        if let deleted = pod["metadata"]["deletionTimestamp"].string.flatMap(Timestamp.parse) {
            let grace = Double(pod["metadata"]["deletionGracePeriodSeconds"].int ?? 0)
            if now.timeIntervalSince(deleted) > grace { return false }
        }
        return true
    }

    private static func podUsage(_ pod: JSON, now: Date) -> ResourceList {
        guard podIsCharged(pod, now: now) else { return ResourceList() }
        return computeUsage(requests: PodResourceTotals.requests(pod["spec"]), limits: PodResourceTotals.limits(pod["spec"]))
    }

    /// The compute quota names that requests and limits (of a pod or one container) add to.
    static func computeUsage(requests: ResourceList, limits: ResourceList) -> ResourceList {
        var usage = ResourceList(["pods": one])
        for name in ["cpu", "memory", "ephemeral-storage"] {
            if let request = requests[name] {
                usage[name] = request
                usage["requests." + name] = request
            }
            if let limit = limits[name] { usage["limits." + name] = limit }
        }
        for (name, request) in requests.values where !["cpu", "memory", "ephemeral-storage"].contains(name) {
            if name.hasPrefix("hugepages-") {
                usage[name] = request
                usage["requests." + name] = request
            } else if name.contains("/"), !name.hasPrefix("kubernetes.io/") {
                usage["requests." + name] = request
            }
        }
        return usage
    }

    private static func serviceUsage(_ service: JSON) -> ResourceList {
        var usage = ResourceList(["services": one])
        let ports = Quantity(nanos: Int128(service["spec"]["ports"].array?.count ?? 0) * Quantity.nanosPerUnit)
        switch service["spec"]["type"].string {
        case "NodePort":
            usage["services.nodeports"] = ports
        case "LoadBalancer":
            usage["services.loadbalancers"] = one
            if service["spec"]["allocateLoadBalancerNodePorts"].bool ?? true { usage["services.nodeports"] = ports }
        default:
            break
        }
        return usage
    }

    private static func claimUsage(_ claim: JSON) -> ResourceList {
        var usage = ResourceList(["persistentvolumeclaims": one])
        let storage = Quantity(json: claim["spec"]["resources"]["requests"]["storage"])
        if let storage { usage["requests.storage"] = storage }
        if let storageClass = claim["spec"]["storageClassName"].string, !storageClass.isEmpty {
            usage[storageClass + storageClassSuffix + "persistentvolumeclaims"] = one
            if let storage { usage[storageClass + storageClassSuffix + "requests.storage"] = storage }
        }
        return usage
    }

    /// Kubernetes' message when quotas track cpu or memory that some containers of `pod` do not
    /// state: `must specify limits.cpu for: app; requests.memory for: app,sidecar`; nil when
    /// every container states what `tracked` needs.
    public static func missingComputeSpecifications(_ pod: JSON, tracked: some Sequence<String>) -> String? {
        let checked: Set<String> = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]
        let required = checked.intersection(tracked)
        guard !required.isEmpty else { return nil }
        var missing: [String: [String]] = [:]
        for container in (pod["spec"]["initContainers"].array ?? []) + (pod["spec"]["containers"].array ?? []) {
            let resources = container["resources"]
            let usage = computeUsage(requests: ResourceList(json: resources["requests"]), limits: ResourceList(json: resources["limits"]))
            for name in required where usage[name] == nil {
                missing[name, default: []].append(container["name"].string ?? "")
            }
        }
        guard !missing.isEmpty else { return nil }
        let parts = missing.map { name, containers in "\(name) for: \(Set(containers).sorted().joined(separator: ","))" }
        return "must specify " + parts.sorted().joined(separator: "; ")
    }
}
