import FlotillaAPI
import FlotillaCore

/// The discovery documents of a ``ResourceCatalog``, aggregated (apidiscovery.k8s.io/v2) and
/// legacy (APIVersions, APIGroupList, APIGroup, APIResourceList), serialized once.
public struct DiscoveryDocuments: Sendable {
    /// `/api` as an APIGroupDiscoveryList holding the core group.
    public let coreAggregated: [UInt8]
    /// `/apis` as an APIGroupDiscoveryList holding every named group.
    public let groupsAggregated: [UInt8]
    /// `/apis` as an APIGroupList.
    public let groupList: [UInt8]
    /// `/apis/<group>` as an APIGroup, by group name.
    public let groups: [String: [UInt8]]
    /// `/api/v1` and `/apis/<group>/<version>` as APIResourceLists, by `v1` or `<group>/<version>`.
    public let resourceLists: [String: [UInt8]]
    /// The core group's versions, in preference order (`["v1"]`).
    public let coreVersions: [String]

    public init(_ catalog: ResourceCatalog) {
        var groupOrder: [String] = []
        var versionsByGroup: [String: [String]] = [:]
        var resourcesByGV: [String: [ResourceDefinition]] = [:]
        for r in catalog.all {
            if versionsByGroup[r.group] == nil { groupOrder.append(r.group) }
            if !(versionsByGroup[r.group] ?? []).contains(r.version) { versionsByGroup[r.group, default: []].append(r.version) }
            resourcesByGV[Self.groupVersion(r.group, r.version), default: []].append(r)
        }
        let named = groupOrder.filter { !$0.isEmpty }

        func aggregatedGroup(_ group: String) -> JSON {
            var metadata = JSONObject()
            if !group.isEmpty { metadata["name"] = .string(group) }
            let versions = (versionsByGroup[group] ?? []).map { v -> JSON in
                let resources = (resourcesByGV[Self.groupVersion(group, v)] ?? []).map(Self.aggregatedResource)
                return .object(["version": .string(v), "resources": .array(resources), "freshness": "Current"])
            }
            return .object(["metadata": .object(metadata), "versions": .array(versions)])
        }
        func discoveryList(_ items: [JSON]) -> [UInt8] {
            JSON.object([
                "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
                "metadata": .emptyObject, "items": .array(items),
            ]).serialized()
        }
        coreAggregated = discoveryList(versionsByGroup[""] == nil ? [] : [aggregatedGroup("")])
        groupsAggregated = discoveryList(named.map(aggregatedGroup))

        func apiGroup(_ group: String) -> JSONObject {
            let versions = (versionsByGroup[group] ?? []).map { v -> JSON in
                .object(["groupVersion": .string(Self.groupVersion(group, v)), "version": .string(v)])
            }
            return ["name": .string(group), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
        }
        groupList = JSON.object([
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(named.map { .object(apiGroup($0)) }),
        ]).serialized()
        var groups: [String: [UInt8]] = [:]
        for g in named {
            var o: JSONObject = ["kind": "APIGroup", "apiVersion": "v1"]
            o.merge(apiGroup(g)) { $1 }
            groups[g] = JSON.object(o).serialized()
        }
        self.groups = groups

        var lists: [String: [UInt8]] = [:]
        for (gv, resources) in resourcesByGV {
            lists[gv] = JSON.object([
                "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(gv),
                "resources": .array(resources.flatMap(Self.legacyResources)),
            ]).serialized()
        }
        resourceLists = lists
        coreVersions = versionsByGroup[""] ?? []
    }

    /// `v1` for the core group, else `<group>/<version>`.
    static func groupVersion(_ group: String, _ version: String) -> String {
        group.isEmpty ? version : "\(group)/\(version)"
    }

    static func kindJSON(_ gvk: GroupVersionKind) -> JSON {
        .object(["group": .string(gvk.group), "version": .string(gvk.version), "kind": .string(gvk.kind)])
    }

    static func strings(_ values: [String]) -> JSON { .array(values.map { .string($0) }) }

    /// One resource of an aggregated discovery document.
    static func aggregatedResource(_ r: ResourceDefinition) -> JSON {
        var o: JSONObject = [
            "resource": .string(r.plural),
            "responseKind": kindJSON(r.groupVersionKind),
            "scope": r.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(r.singular),
            "verbs": strings(r.verbs),
        ]
        if !r.shortNames.isEmpty { o["shortNames"] = strings(r.shortNames) }
        if !r.categories.isEmpty { o["categories"] = strings(r.categories) }
        if !r.subresources.isEmpty {
            o["subresources"] = .array(r.subresources.map { s in
                .object(["subresource": .string(s.name), "responseKind": kindJSON(s.kind), "verbs": strings(s.verbs)])
            })
        }
        return .object(o)
    }

    /// A resource's APIResourceList entries: the resource itself, then one `<plural>/<sub>` per subresource.
    static func legacyResources(_ r: ResourceDefinition) -> [JSON] {
        var main: JSONObject = [
            "name": .string(r.plural), "singularName": .string(r.singular), "namespaced": .bool(r.namespaced),
            "kind": .string(r.kind), "verbs": strings(r.verbs),
        ]
        if !r.shortNames.isEmpty { main["shortNames"] = strings(r.shortNames) }
        if !r.categories.isEmpty { main["categories"] = strings(r.categories) }
        var out: [JSON] = [.object(main)]
        for s in r.subresources {
            var o: JSONObject = ["name": .string("\(r.plural)/\(s.name)"), "singularName": "", "namespaced": .bool(r.namespaced)]
            if s.kind.group != r.group || s.kind.version != r.version {
                o["group"] = .string(s.kind.group)
                o["version"] = .string(s.kind.version)
            }
            o["kind"] = .string(s.kind.kind)
            o["verbs"] = strings(s.verbs)
            out.append(.object(o))
        }
        return out
    }
}
