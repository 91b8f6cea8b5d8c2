import OrderedCollections

/// The members of a JSON object, in the order they were written.
public typealias JSONObject = OrderedDictionary<String, JSON>

/// A JSON value. Objects keep their member order; integers stay integers.
///
/// Flotilla stores and serves objects as JSON, so every layer (API, store, client) passes this
/// value around; typed views decode only what a component acts on.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    /// An empty object.
    public static var emptyObject: JSON { .object([:]) }
}

// MARK: - Accessors

extension JSON {
    /// The member `key` of an object, or `.null` for anything else.
    ///
    /// Setting `.null` removes the member; setting a member of `.null` makes an object; setting
    /// a member of any other value does nothing. A nested write (`pod["spec"]["nodeName"] = …`)
    /// changes the member in place: the object is not copied when this value holds the only
    /// reference to it.
    public subscript(key: String) -> JSON {
        get {
            if case .object(let o) = self { return o[key] ?? .null }
            return .null
        }
        set {
            if case .object(var o) = self {
                self = .null
                if case .null = newValue { o.removeValue(forKey: key) } else { o[key] = newValue }
                self = .object(o)
            } else if case .null = self {
                if case .null = newValue { return }
                self = .object([key: newValue])
            }
        }
        _modify {
            if case .object(var o) = self {
                // Give up this value's reference first, so that `o` (and the member) are unique.
                self = .null
                defer { self = .object(o) }
                if let index = o.index(forKey: key) {
                    yield &o.values[index]
                    if case .null = o.values[index] { o.remove(at: index) }
                } else {
                    var member = JSON.null
                    yield &member
                    if !member.isNull { o[key] = member }
                }
            } else {
                var member = JSON.null
                yield &member
                if case .null = self, !member.isNull { self = .object([key: member]) }
            }
        }
    }

    /// The element at `index` of an array, or `.null`.
    public subscript(index: Int) -> JSON {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return .null
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// An integer value; a double with no fractional part counts too.
    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    /// A numeric value as a double.
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The name of this value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The value at a path of object keys, or `.null`.
    public subscript(path path: [String]) -> JSON {
        get {
            var v = self
            for k in path { v = v[k] }
            return v
        }
        set { self[path: path[...]] = newValue }
    }

    private subscript(path path: ArraySlice<String>) -> JSON {
        get { self[path: Array(path)] }
        set {
            guard let first = path.first else { self = newValue; return }
            self[first][path: path.dropFirst()] = newValue
        }
    }

    /// Changes the array this value holds in place (without copying it when this value holds
    /// the only reference); does nothing when it holds no array.
    public mutating func modifyArray(_ body: (inout [JSON]) throws -> Void) rethrows {
        guard case .array(var items) = self else { return }
        self = .null
        defer { self = .array(items) }
        try body(&items)
    }
}

// MARK: - Literals

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .double(value) }
}
