import FlotillaAPI

/// Where a resource lives in the REST API: its group, version, plural and scope.
///
/// Build one from a catalog entry (`ResourceRef(definition)`), by hand, or use the shortcuts
/// for the kinds components use most (`.pods`, `.nodes`, `.deployments`, …).
public struct ResourceRef: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group.
    public var group: String
    public var version: String
    /// The plural name in URLs, e.g. `pods`.
    public var plural: String
    /// The kind, e.g. `Pod` (used in error messages and typed lists).
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
    }

    /// The address of a resource the catalog defines.
    public init(_ definition: ResourceDefinition) {
        self.init(
            group: definition.group, version: definition.version, plural: definition.plural,
            kind: definition.kind, namespaced: definition.namespaced)
    }

    /// The address of the resource the catalog serves at group/version/plural, if any.
    public init?(group: String, version: String, plural: String, catalog: ResourceCatalog = .shared) {
        guard let definition = catalog.resource(group: group, version: version, plural: plural) else { return nil }
        self.init(definition)
    }

    /// The address of the resource of a kind the catalog knows, if any.
    public init?(_ kind: GroupVersionKind, catalog: ResourceCatalog = .shared) {
        guard let definition = catalog.resource(for: kind) else { return nil }
        self.init(definition)
    }

    /// `v1` or `apps/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods` or `deployments.apps`, as Kubernetes names resources in messages.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The collection path: `/api/v1/namespaces/<ns>/pods`, or all namespaces when `namespace` is nil.
    public func collectionPath(namespace: String?) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty {
            return "\(root)/namespaces/\(Self.escape(namespace))/\(plural)"
        }
        return "\(root)/\(plural)"
    }

    /// The path of one object, optionally one of its subresources (`status`, `scale`, `binding`, …).
    public func objectPath(namespace: String?, name: String, subresource: String? = nil) -> String {
        var path = collectionPath(namespace: namespaced ? namespace : nil) + "/" + Self.escape(name)
        if let subresource { path += "/" + subresource }
        return path
    }

    /// Percent-escapes a path segment (names are DNS-like, but stay safe on anything).
    static func escape(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// RFC 3986 unreserved characters, which never need escaping.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension ResourceRef {
    public static let namespaces = ResourceRef(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    public static let pods = ResourceRef(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
    public static let nodes = ResourceRef(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false)
    public static let services = ResourceRef(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true)
    public static let endpoints = ResourceRef(group: "", version: "v1", plural: "endpoints", kind: "Endpoints", namespaced: true)
    public static let configMaps = ResourceRef(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)
    public static let secrets = ResourceRef(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true)
    public static let events = ResourceRef(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true)
    public static let serviceAccounts = ResourceRef(group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true)
    public static let persistentVolumes = ResourceRef(group: "", version: "v1", plural: "persistentvolumes", kind: "PersistentVolume", namespaced: false)
    public static let persistentVolumeClaims = ResourceRef(group: "", version: "v1", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true)
    public static let deployments = ResourceRef(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true)
    public static let replicaSets = ResourceRef(group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true)
    public static let daemonSets = ResourceRef(group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true)
    public static let statefulSets = ResourceRef(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true)
    public static let controllerRevisions = ResourceRef(
        group: "apps", version: "v1", plural: "controllerrevisions", kind: "ControllerRevision", namespaced: true)
    public static let jobs = ResourceRef(group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true)
    public static let cronJobs = ResourceRef(group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true)
    public static let podDisruptionBudgets = ResourceRef(
        group: "policy", version: "v1", plural: "poddisruptionbudgets", kind: "PodDisruptionBudget", namespaced: true)
    public static let leases = ResourceRef(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)
    public static let endpointSlices = ResourceRef(group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true)
}
