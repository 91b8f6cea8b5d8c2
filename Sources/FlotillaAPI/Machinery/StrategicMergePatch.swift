import FlotillaCore

/// Strategic merge patch: `application/strategic-merge-patch+json`, what client-side
/// `kubectl apply`, `kubectl edit`, `kubectl patch --type=strategic`, `rollout restart` and
/// `cordon` send.
///
/// Like a JSON merge patch, but driven by the schema: lists whose field has `patchStrategy`
/// `merge` merge element by element on `patchMergeKey` (or, for primitives, as a union), and
/// the directives `$patch` (`replace`, `delete`, `merge`), `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured. Members the
/// schema does not know merge like a JSON merge patch.
public struct StrategicMergePatch: Sendable {
    private let navigator: SchemaNavigator

    private init(catalog: SchemaCatalog) {
        navigator = SchemaNavigator(catalog: catalog)
    }

    static let patchDirective = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"
    static let setElementOrderPrefix = "$setElementOrder/"

    /// Applies `patch` to `original`, an object of the definition named `definition`.
    ///
    /// Throws 400 BadRequest for a patch that is not an object or misuses a directive.
    public static func apply(
        _ patch: JSON, to original: JSON, definition: String, catalog: SchemaCatalog = .shared
    ) throws(FlotillaError) -> JSON {
        guard let patchObject = patch.object else {
            throw FlotillaError(.badRequest, "invalid strategic merge patch: expected a JSON object, got \(patch.typeName)")
        }
        let smp = StrategicMergePatch(catalog: catalog)
        let merged = try smp.mergeMap(original.object ?? [:], patchObject, type: .ref(definition))
        return .object(merged ?? [:])
    }

    // MARK: - Maps

    /// Merges a patch map into an original map; nil means "delete this map" (`$patch: delete`).
    private func mergeMap(_ original: JSONObject, _ patch: JSONObject, type: SchemaType?) throws(FlotillaError) -> JSONObject? {
        var patch = patch
        var original = original
        if let directive = patch.removeValue(forKey: Self.patchDirective) {
            switch directive.string {
            case "replace":
                return try mergeMap([:], patch, type: type) ?? [:]
            case "delete":
                return nil
            case "merge":
                break
            default:
                throw badPatchType(directive, in: patch)
            }
        }
        if let retain = patch.removeValue(forKey: Self.retainKeysDirective) {
            guard let keys = retain.array?.compactMap(\.string), keys.count == retain.array?.count else {
                throw FlotillaError(.badRequest, "invalid patch format of retainKeys")
            }
            for (key, value) in patch where !key.hasPrefix("$") && !value.isNull && !keys.contains(key) {
                throw FlotillaError(.badRequest, "invalid patch format of retainKeys: \(key) is patched but not retained")
            }
            original = original.filter { keys.contains($0.key) }
        }
        var orders: [String: [JSON]] = [:]
        for key in patch.keys where key.hasPrefix("$") {
            let value = patch[key]!
            if key.hasPrefix(Self.deleteFromPrimitiveListPrefix) {
                let field = String(key.dropFirst(Self.deleteFromPrimitiveListPrefix.count))
                guard let doomed = value.array else {
                    throw FlotillaError(.badRequest, "invalid patch format of primitive list: \(key) must be a list")
                }
                if let list = original[field]?.array {
                    original[field] = .array(list.filter { item in !doomed.contains { $0.isEquivalent(to: item) } })
                }
            } else if key.hasPrefix(Self.setElementOrderPrefix) {
                let field = String(key.dropFirst(Self.setElementOrderPrefix.count))
                guard let order = value.array else {
                    throw FlotillaError(.badRequest, "invalid patch format of setElementOrder list: \(key) must be a list")
                }
                orders[field] = order
            } else {
                throw FlotillaError(.badRequest, "invalid strategic merge patch: unknown directive \(key)")
            }
        }
        for key in patch.keys where key.hasPrefix("$") { patch.removeValue(forKey: key) }
        for (field, _) in orders where patch[field] == nil && original[field] != nil {
            patch[field] = .array([])
        }
        for (key, patchValue) in patch {
            let (childType, field) = navigator.member(key, of: type)
            if patchValue.isNull {
                original.removeValue(forKey: key)
                continue
            }
            let merged = try mergeValue(
                original[key], patchValue, type: childType, field: field, order: orders[key], path: key)
            if let merged { original[key] = merged } else { original.removeValue(forKey: key) }
        }
        return original
    }

    /// Merges one member's patch value into its original value (nil when absent); nil result
    /// means the member is removed.
    private func mergeValue(
        _ original: JSON?, _ patch: JSON, type: SchemaType?, field: Field?, order: [JSON]?, path: String
    ) throws(FlotillaError) -> JSON? {
        let strategy = field?.patchStrategy?.split(separator: ",").map(String.init) ?? []
        switch patch {
        case .object(let patchMap):
            if strategy.contains("replace") {
                return try mergeMap([:], patchMap, type: type).map(JSON.object)
            }
            return try mergeMap(original?.object ?? [:], patchMap, type: type).map(JSON.object)
        case .array(let patchList):
            let elementType = navigator.element(of: type)
            if strategy.contains("merge") {
                let originalList = original?.array ?? []
                if let key = field?.patchMergeKey, navigator.isObject(elementType) {
                    return .array(try mergeKeyedList(originalList, patchList, key: key, elementType: elementType, order: order, path: path))
                }
                if !navigator.isObject(elementType) {
                    return .array(try mergePrimitiveList(originalList, patchList, order: order, path: path))
                }
            }
            return .array(try clean(patchList, elementType: elementType, path: path))
        default:
            return patch
        }
    }

    /// A patch list taken as is (replacing the original), with directives resolved.
    private func clean(_ list: [JSON], elementType: SchemaType?, path: String) throws(FlotillaError) -> [JSON] {
        var out: [JSON] = []
        for item in list {
            if let map = item.object {
                if map[Self.patchDirective] != nil, map.count == 1 || map[Self.patchDirective]?.string == "delete" {
                    continue
                }
                if let cleaned = try mergeMap([:], map, type: elementType) { out.append(.object(cleaned)) }
            } else {
                out.append(item)
            }
        }
        return out
    }

    // MARK: - Lists

    private func mergeKeyedList(
        _ original: [JSON], _ patch: [JSON], key: String, elementType: SchemaType?, order: [JSON]?, path: String
    ) throws(FlotillaError) -> [JSON] {
        var result = original
        var plain: [JSONObject] = []
        var replace = false
        for item in patch {
            guard let map = item.object else {
                throw FlotillaError(.badRequest, "invalid strategic merge patch: \(path) must be a list of objects, found \(item.typeName)")
            }
            guard let directive = map[Self.patchDirective] else {
                plain.append(map)
                continue
            }
            switch directive.string {
            case "delete":
                guard let value = map[key] else { throw noMergeKey(item, key: key) }
                result.removeAll { $0[key].isEquivalent(to: value) }
            case "replace":
                replace = true
            case "merge":
                break
            default:
                throw badPatchType(directive, in: map)
            }
        }
        if replace {
            return try clean(plain.map(JSON.object), elementType: elementType, path: path)
        }
        var added: [JSON] = []
        for map in plain {
            guard let value = map[key] else { throw noMergeKey(.object(map), key: key) }
            if let i = result.firstIndex(where: { $0[key].isEquivalent(to: value) }) {
                let merged = try mergeMap(result[i].object ?? [:], map, type: elementType)
                if let merged { result[i] = .object(merged) } else { result.remove(at: i) }
            } else if let fresh = try mergeMap([:], map, type: elementType) {
                added.append(.object(fresh))
            }
        }
        result += added
        guard let order else { return result }
        let orderKeys = order.map { $0[key] }
        return arrange(result, original: original, order: orderKeys) { $0[key] }
    }

    private func mergePrimitiveList(_ original: [JSON], _ patch: [JSON], order: [JSON]?, path: String) throws(FlotillaError) -> [JSON] {
        var result = original
        for item in patch {
            if item.object != nil || item.array != nil {
                throw FlotillaError(.badRequest, "invalid strategic merge patch: \(path) must be a list of primitives, found \(item.typeName)")
            }
            if !result.contains(where: { $0.isEquivalent(to: item) }) { result.append(item) }
        }
        guard let order else { return result }
        return arrange(result, original: original, order: order) { $0 }
    }

    /// Orders a merged list as `$setElementOrder` asks: the elements it names in its order,
    /// with the elements only the server has kept at their original relative positions.
    private func arrange(_ merged: [JSON], original: [JSON], order: [JSON], identity: (JSON) -> JSON) -> [JSON] {
        func position(_ id: JSON, in list: [JSON]) -> Int? {
            list.firstIndex { $0.isEquivalent(to: id) }
        }
        let originalIDs = original.map(identity)
        var named: [(Int, JSON)] = []
        var serverOnly: [JSON] = []
        for item in merged {
            if let p = position(identity(item), in: order) { named.append((p, item)) } else { serverOnly.append(item) }
        }
        let left = named.sorted { $0.0 < $1.0 }.map(\.1)
        var out: [JSON] = []
        var i = 0
        var j = 0
        while i < left.count, j < serverOnly.count {
            let li = position(identity(left[i]), in: originalIDs)
            let rj = position(identity(serverOnly[j]), in: originalIDs) ?? Int.max
            if li == nil || li! < rj {
                out.append(left[i])
                i += 1
            } else {
                out.append(serverOnly[j])
                j += 1
            }
        }
        return out + left[i...] + serverOnly[j...]
    }

    // MARK: - Errors

    private func badPatchType(_ directive: JSON, in map: JSONObject) -> FlotillaError {
        FlotillaError(.badRequest, "unknown patch type: \(directive.string ?? directive.jsonText) in map: \(JSON.object(map).jsonText)")
    }

    private func noMergeKey(_ item: JSON, key: String) -> FlotillaError {
        FlotillaError(.badRequest, "map: \(item.jsonText) does not contain declared merge key: \(key)")
    }
}
