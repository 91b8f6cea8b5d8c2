import FlotillaCore

extension JSON {
    /// Whether two values mean the same JSON: object members compare regardless of order and
    /// numbers by value (`1` equals `1.0`).
    public func isEquivalent(to other: JSON) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a {
                guard let w = b[k], v.isEquivalent(to: w) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.int, .double), (.double, .int):
            return double == other.double
        default:
            return self == other
        }
    }
}
