import FlotillaCore

/// The schema-aware half of server-side apply: which fields a value sets (its ``FieldSet``)
/// and how an applied configuration merges into a live object.
struct FieldTracker: Sendable {
    let navigator: SchemaNavigator
    let rootType: SchemaType

    /// Top-level and metadata members that are never owned by a manager.
    private static let untrackedTopLevel: Set<String> = ["apiVersion", "kind", "status"]
    private static let untrackedMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName",
    ]

    /// How a list is merged and tracked.
    enum ListKind {
        /// Elements identified by these key fields.
        case map([String])
        /// Primitive elements identified by value.
        case set
        /// The whole list is one value.
        case atomic
    }

    func listKind(field: Field?, elementType: SchemaType?) -> ListKind {
        guard let field else { return .atomic }
        if field.listType == "map", let keys = field.listMapKeys, !keys.isEmpty { return .map(keys) }
        if field.listType == "set" { return .set }
        if field.listType == "atomic" { return .atomic }
        let strategy = field.patchStrategy?.split(separator: ",").map(String.init) ?? []
        if strategy.contains("merge") {
            if let key = field.patchMergeKey, navigator.isObject(elementType) { return .map([key]) }
            if !navigator.isObject(elementType) { return .set }
        }
        return .atomic
    }

    // MARK: Field sets

    /// The fields `object` sets, leaving out identity, bookkeeping and status.
    func fieldSet(of object: JSON) -> FieldSet {
        var tracked = object
        for key in Self.untrackedTopLevel { tracked[key] = .null }
        if var metadata = tracked["metadata"].object {
            for key in Self.untrackedMetadata { metadata.removeValue(forKey: key) }
            tracked["metadata"] = metadata.isEmpty ? .null : .object(metadata)
        }
        var set = FieldSet()
        collect(tracked, type: rootType, into: &set, path: [])
        return set
    }

    private func collect(_ value: JSON, type: SchemaType?, into set: inout FieldSet, path: [String]) {
        guard case .object(let members) = value else { return }
        for (key, member) in members where !member.isNull {
            let (childType, field) = navigator.member(key, of: type)
            let childPath = path + ["f:" + key]
            switch member {
            case .object(let o) where !o.isEmpty && childType != .any:
                collect(member, type: childType, into: &set, path: childPath)
            case .array(let items):
                let elementType = navigator.element(of: childType)
                switch listKind(field: field, elementType: elementType) {
                case .map(let keys):
                    for item in items {
                        let elementPath = childPath + [Self.keyElement(item, keys: keys)]
                        set.insert(elementPath)
                        collect(item, type: elementType, into: &set, path: elementPath)
                    }
                    if items.isEmpty { set.insert(childPath) }
                case .set:
                    for item in items { set.insert(childPath + ["v:" + item.jsonText]) }
                    if items.isEmpty { set.insert(childPath) }
                case .atomic:
                    set.insert(childPath)
                }
            default:
                set.insert(childPath)
            }
        }
    }

    /// `k:{"name":"web"}`: the key fields an element has, sorted by name.
    static func keyElement(_ item: JSON, keys: [String]) -> String {
        var o = JSONObject()
        for key in keys.sorted() where !item[key].isNull { o[key] = item[key] }
        return "k:" + JSON.object(o).jsonText
    }

    // MARK: Merging

    /// `config` merged into `live` (nil: create). Members of `config` that are `null` are left out.
    func merge(live: JSON?, config: JSON) -> JSON {
        merge(live, config, type: rootType, field: nil)
    }

    private func merge(_ live: JSON?, _ config: JSON, type: SchemaType?, field: Field?) -> JSON {
        switch config {
        case .object(let members):
            if type == .any { return config }
            var out = live?.object ?? [:]
            for (key, value) in members where !value.isNull {
                let (childType, childField) = navigator.member(key, of: type)
                out[key] = merge(out[key], value, type: childType, field: childField)
            }
            return .object(out)
        case .array(let items):
            let elementType = navigator.element(of: type)
            let existing = live?.array ?? []
            switch listKind(field: field, elementType: elementType) {
            case .map(let keys):
                var remaining = existing
                var out: [JSON] = []
                for item in items {
                    let present = keys.filter { !item[$0].isNull }
                    if let i = remaining.firstIndex(where: { e in present.allSatisfy { e[$0].isEquivalent(to: item[$0]) } }) {
                        out.append(merge(remaining.remove(at: i), item, type: elementType, field: nil))
                    } else {
                        out.append(merge(nil, item, type: elementType, field: nil))
                    }
                }
                return .array(out + remaining)
            case .set:
                let extra = existing.filter { e in !items.contains { $0.isEquivalent(to: e) } }
                return .array(items + extra)
            case .atomic:
                return config
            }
        default:
            return config
        }
    }
}
