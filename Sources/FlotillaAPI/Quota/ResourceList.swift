import FlotillaCore

/// Named resource quantities (`cpu: 500m`, `pods: 3`): the requests and limits of containers and
/// the `hard` and `used` of resource quotas.
public struct ResourceList: Sendable, Equatable {
    public var values: [String: Quantity]

    public init(_ values: [String: Quantity] = [:]) {
        self.values = values
    }

    /// The members of a JSON object that are quantities; others are left out.
    public init(json: JSON) {
        values = (json.object ?? [:]).reduce(into: [:]) { result, member in
            if let q = Quantity(json: member.value) { result[member.key] = q }
        }
    }

    /// The list as a JSON object of canonical quantity strings, in name order.
    public var json: JSON {
        .object(JSONObject(uniqueKeysWithValues: names.map { ($0, values[$0]!.json) }))
    }

    /// The names, sorted.
    public var names: [String] { values.keys.sorted() }

    public var isEmpty: Bool { values.isEmpty }

    public subscript(name: String) -> Quantity? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Adds `q` to `name` (an absent name takes `q` as it is, keeping its notation).
    public mutating func add(_ name: String, _ q: Quantity) {
        values[name] = values[name].map { $0 + q } ?? q
    }

    /// The sum of both lists, name by name.
    public static func + (a: ResourceList, b: ResourceList) -> ResourceList {
        var sum = a
        for (name, q) in b.values { sum.add(name, q) }
        return sum
    }

    /// The difference of both lists, name by name (names of `b` only come out negated).
    public static func - (a: ResourceList, b: ResourceList) -> ResourceList {
        var difference = a
        for (name, q) in b.values { difference.add(name, .zero - q) }
        return difference
    }

    /// The larger value of each name.
    public static func largest(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        a.values.merging(b.values) { max($0, $1) }.resourceList
    }

    /// Only the members named in `names`.
    public func masked(to names: some Sequence<String>) -> ResourceList {
        var kept = ResourceList()
        for name in names { kept[name] = values[name] }
        return kept
    }

    /// `a=1,b=2` in name order, as quota messages print lists.
    public var summary: String {
        names.map { "\($0)=\(values[$0]!.canonical)" }.joined(separator: ",")
    }
}

extension Dictionary where Key == String, Value == Quantity {
    var resourceList: ResourceList { ResourceList(self) }
}
