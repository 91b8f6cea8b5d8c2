/// Every resource the API serves, with lookups by plural, kind and short name.
///
/// Each API group contributes its ``ResourceDefinition``s from its own file under `Kinds/`.
public struct ResourceCatalog: Sendable {
    /// The catalog of all built-in resources.
    public static let shared = ResourceCatalog(
        CoreV1Resources.all + AppsV1Resources.all + BatchV1Resources.all + OtherGroupResources.all
            + OtherGroupResources.otherVersions
    )

    public let all: [ResourceDefinition]
    private let byGroupPlural: [String: Int]
    private let byGroupKind: [String: Int]

    public init(_ resources: [ResourceDefinition]) {
        self.all = resources
        var gp: [String: Int] = [:]
        var gk: [String: Int] = [:]
        for (n, r) in resources.enumerated() {
            gp["\(r.group)/\(r.version)/\(r.plural)"] = n
            gk["\(r.group)/\(r.version)/\(r.kind)"] = n
        }
        byGroupPlural = gp
        byGroupKind = gk
    }

    /// The resource served at `/apis/<group>/<version>/<plural>` (group "" for `/api/v1`).
    public func resource(group: String, version: String, plural: String) -> ResourceDefinition? {
        byGroupPlural["\(group)/\(version)/\(plural)"].map { all[$0] }
    }

    /// The resource of a kind.
    public func resource(for gvk: GroupVersionKind) -> ResourceDefinition? {
        byGroupKind["\(gvk.group)/\(gvk.version)/\(gvk.kind)"].map { all[$0] }
    }

    /// The group/versions served, in discovery order (core first).
    public var groupVersions: [(group: String, version: String)] {
        var seen = Set<String>()
        var out: [(String, String)] = []
        for r in all where seen.insert("\(r.group)/\(r.version)").inserted { out.append((r.group, r.version)) }
        return out
    }
}
