import FlotillaCore

/// A set of field paths of an object, as server-side apply tracks ownership: the tree that
/// `metadata.managedFields[].fieldsV1` serializes (`f:<field>`, `k:{"name":"x"}` for list
/// elements by key, `v:<value>` for set elements, `.` for a node that is itself a member).
struct FieldSet: Sendable, Equatable {
    /// Children by path element (`f:spec`, `k:{"name":"web"}`, `v:"a"`).
    var children: [String: FieldSet] = [:]
    /// Whether the node itself belongs to the set (a leaf, or `.` in FieldsV1).
    var isMember = false

    var isEmpty: Bool { !isMember && children.isEmpty }

    // MARK: FieldsV1

    /// Decodes a FieldsV1 tree.
    init(fieldsV1 json: JSON) {
        guard let members = json.object else { return }
        if members.isEmpty { isMember = true }
        for (element, child) in members {
            if element == "." { isMember = true } else { children[element] = FieldSet(fieldsV1: child) }
        }
    }

    init() {}

    /// The FieldsV1 tree.
    var fieldsV1: JSON {
        var out = JSONObject()
        if isMember && !children.isEmpty { out["."] = .emptyObject }
        for element in orderedElements { out[element] = children[element]!.fieldsV1 }
        return .object(out)
    }

    /// Children in Kubernetes' order: fields, then keys, then values, then indexes.
    private var orderedElements: [String] {
        func rank(_ e: String) -> Int {
            switch e.prefix(2) {
            case "f:": return 0
            case "k:": return 1
            case "v:": return 2
            default: return 3
            }
        }
        return children.keys.sorted { rank($0) == rank($1) ? $0 < $1 : rank($0) < rank($1) }
    }

    // MARK: Paths

    /// Every member path, parents before children.
    var memberPaths: [[String]] {
        var out: [[String]] = []
        func visit(_ node: FieldSet, _ path: [String]) {
            if node.isMember && !path.isEmpty { out.append(path) }
            for element in node.orderedElements { visit(node.children[element]!, path + [element]) }
        }
        visit(self, [])
        return out
    }

    /// Member paths with no members below them (the values that can conflict).
    var leafPaths: [[String]] {
        var out: [[String]] = []
        func visit(_ node: FieldSet, _ path: [String]) {
            if node.isMember && node.children.isEmpty && !path.isEmpty { out.append(path) }
            for element in node.orderedElements { visit(node.children[element]!, path + [element]) }
        }
        visit(self, [])
        return out
    }

    /// The subtree at `path`, if the set has one.
    func node(at path: [String]) -> FieldSet? {
        guard let first = path.first else { return self }
        return children[first]?.node(at: Array(path.dropFirst()))
    }

    func contains(_ path: [String]) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(Array(path.dropFirst())) ?? false
    }

    /// Whether the set has `path` or anything below it.
    func containsAnything(under path: [String]) -> Bool {
        guard let first = path.first else { return !isEmpty }
        return children[first]?.containsAnything(under: Array(path.dropFirst())) ?? false
    }

    mutating func insert(_ path: [String]) {
        guard let first = path.first else {
            isMember = true
            return
        }
        children[first, default: FieldSet()].insert(Array(path.dropFirst()))
    }

    mutating func remove(_ path: [String]) {
        guard let first = path.first else {
            isMember = false
            return
        }
        guard var child = children[first] else { return }
        child.remove(Array(path.dropFirst()))
        children[first] = child.isEmpty ? nil : child
    }

    /// `a.spec.template` form of a path, as Kubernetes prints it in conflicts:
    /// `.spec.containers[name="web"].image`.
    static func describe(_ path: [String]) -> String {
        var out = ""
        for element in path {
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:":
                out += "." + body
            case "k:":
                let keys = (try? JSONParser.parse(body))?.object ?? [:]
                out += "[" + keys.map { "\($0.key)=\($0.value.jsonText)" }.joined(separator: ",") + "]"
            case "v:":
                out += "[=" + body + "]"
            default:
                out += "[" + body + "]"
            }
        }
        return out
    }
}

/// Resolving FieldSet paths inside JSON objects.
extension JSON {
    /// The value at a field-set path, or nil when there is none.
    func value(atFieldPath path: [String]) -> JSON? {
        guard let first = path.first else { return self }
        guard let i = Self.index(of: first, in: self) else { return nil }
        let rest = Array(path.dropFirst())
        switch (self, i) {
        case (.object(let o), .left(let key)): return o[key]?.value(atFieldPath: rest)
        case (.array(let a), .right(let n)): return a[n].value(atFieldPath: rest)
        default: return nil
        }
    }

    /// This value with whatever is at a field-set path removed.
    func removing(fieldPath path: [String]) -> JSON {
        guard let first = path.first, let i = Self.index(of: first, in: self) else { return self }
        let rest = Array(path.dropFirst())
        switch (self, i) {
        case (.object(var o), .left(let key)):
            if rest.isEmpty { o.removeValue(forKey: key) } else if let child = o[key] { o[key] = child.removing(fieldPath: rest) }
            return .object(o)
        case (.array(var a), .right(let n)):
            if rest.isEmpty { a.remove(at: n) } else { a[n] = a[n].removing(fieldPath: rest) }
            return .array(a)
        default:
            return self
        }
    }

    /// Where a path element points in this value: a member name or an element index.
    private static func index(of element: String, in value: JSON) -> Either? {
        let body = String(element.dropFirst(2))
        switch (element.prefix(2), value) {
        case ("f:", .object(let o)):
            return o[body] != nil ? .left(body) : nil
        case ("k:", .array(let a)):
            guard let keys = (try? JSONParser.parse(body))?.object else { return nil }
            return a.firstIndex { item in keys.allSatisfy { item[$0.key].isEquivalent(to: $0.value) } }.map(Either.right)
        case ("v:", .array(let a)):
            guard let v = try? JSONParser.parse(body) else { return nil }
            return a.firstIndex { $0.isEquivalent(to: v) }.map(Either.right)
        case ("i:", .array(let a)):
            guard let n = Int(body), a.indices.contains(n) else { return nil }
            return .right(n)
        default:
            return nil
        }
    }

    private enum Either {
        case left(String)
        case right(Int)
    }
}
