import FlotillaCore
import Foundation

/// A Marathon placement constraint, as the `flotilla.io/constraints` annotation states them in
/// Marathon's JSON form: `[["hostname","UNIQUE"],["rack","GROUP_BY","3"],["zone","LIKE","us-.*"]]`.
///
/// The field is a node label, or the node itself for `hostname` (`@hostname`); `@zone` and
/// `@region` stand for the well-known topology labels. Constraints are judged across the pods of
/// the same group (see ``OwnerGroup``), as Marathon judges them across the tasks of one app:
///
/// | operator | a node is allowed when |
/// | --- | --- |
/// | `UNIQUE` | no pod of the group runs on a node with the same value |
/// | `CLUSTER v` | its value is `v` (without `v`: the value the group's pods already have) |
/// | `GROUP_BY n` | its value has no pod of the group yet, or at least `n` values are in use and its value has the fewest pods |
/// | `LIKE re` / `UNLIKE re` | its value matches / does not match the whole regular expression (a node without the field fails `LIKE` and passes `UNLIKE`) |
/// | `MAX_PER n` | its value has fewer than `n` pods of the group |
/// | `IS v` | its value is `v` |
public struct MarathonConstraint: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case unique = "UNIQUE"
        case cluster = "CLUSTER"
        case groupBy = "GROUP_BY"
        case like = "LIKE"
        case unlike = "UNLIKE"
        case maxPer = "MAX_PER"
        case `is` = "IS"
    }

    /// The annotation that carries a pod's constraints.
    public static let annotation = "flotilla.io/constraints"

    public let field: String
    public let op: Operator
    public let value: String?
    private let pattern: Pattern?
    /// Kubernetes-style filter reason, e.g. `node(s) didn't match Marathon constraint rack:GROUP_BY:3`.
    public let reason: String

    public init(field: String, op: Operator, value: String? = nil) throws(FlotillaError) {
        self.field = field
        self.op = op
        self.value = value
        switch op {
        case .unique:
            pattern = nil
        case .cluster, .groupBy:
            if op == .groupBy, let value, Int(value) == nil {
                throw FlotillaError(.invalid, "constraint \(field):GROUP_BY: \"\(value)\" is not a number")
            }
            pattern = nil
        case .maxPer:
            guard let value, Int(value) != nil else {
                throw FlotillaError(.invalid, "constraint \(field):MAX_PER needs a number")
            }
            pattern = nil
        case .is:
            guard value != nil else { throw FlotillaError(.invalid, "constraint \(field):IS needs a value") }
            pattern = nil
        case .like, .unlike:
            guard let value else { throw FlotillaError(.invalid, "constraint \(field):\(op.rawValue) needs a regular expression") }
            pattern = try Pattern(value)
        }
        reason = "node(s) didn't match Marathon constraint " + ([field, op.rawValue] + (value.map { [$0] } ?? [])).joined(separator: ":")
    }

    /// The constraints of an annotation value; throws `.invalid` naming what is wrong.
    public static func parse(_ text: String) throws(FlotillaError) -> [MarathonConstraint] {
        let json: JSON
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw FlotillaError(.invalid, "\(annotation) is not JSON: \(error)")
        }
        guard let list = json.array else {
            throw FlotillaError(.invalid, "\(annotation) must be a list of constraints such as [[\"hostname\",\"UNIQUE\"]]")
        }
        var constraints: [MarathonConstraint] = []
        for (index, item) in list.enumerated() {
            guard let parts = item.array?.compactMap(\.string), parts.count == item.array?.count, (2...3).contains(parts.count) else {
                throw FlotillaError(.invalid, "\(annotation)[\(index)] must be [field, operator] or [field, operator, value]")
            }
            guard let op = Operator(rawValue: parts[1].uppercased()) else {
                let known = Operator.allCases.map(\.rawValue).joined(separator: ", ")
                throw FlotillaError(.invalid, "\(annotation)[\(index)]: unknown operator \"\(parts[1])\" (one of \(known))")
            }
            constraints.append(try MarathonConstraint(field: parts[0], op: op, value: parts.count == 3 ? parts[2] : nil))
        }
        return constraints
    }

    /// The value of the constraint's field on a node; nil when the node has no such label.
    public func value(nodeName: String, labels: [String: String]) -> String? {
        switch field {
        case "hostname", "@hostname": return nodeName
        case "@zone": return labels["topology.kubernetes.io/zone"]
        case "@region": return labels["topology.kubernetes.io/region"]
        default: return labels[field]
        }
    }

    /// Whether a node whose field has `nodeValue` is allowed, given how many pods of the group
    /// run on nodes with each value.
    public func allows(nodeValue: String?, groupCounts: [String: Int]) -> Bool {
        switch op {
        case .unlike:
            guard let nodeValue else { return true }
            return !(pattern?.matchesWhole(nodeValue) ?? false)
        case .like:
            guard let nodeValue else { return false }
            return pattern?.matchesWhole(nodeValue) ?? false
        default:
            break
        }
        guard let nodeValue else { return false }
        let here = groupCounts[nodeValue] ?? 0
        switch op {
        case .unique:
            return here == 0
        case .cluster:
            if let value { return nodeValue == value }
            return groupCounts.allSatisfy { $0.value == 0 || $0.key == nodeValue }
        case .groupBy:
            if here == 0 { return true }
            let used = groupCounts.values.filter { $0 > 0 }
            return used.count >= (value.flatMap { Int($0) } ?? 0) && here == used.min()
        case .maxPer:
            return here < (value.flatMap { Int($0) } ?? 0)
        case .is:
            return nodeValue == value
        case .like, .unlike:
            return true
        }
    }

    /// Why a node is not allowed, with the numbers (for explanations).
    public func explainRejection(nodeValue: String?, groupCounts: [String: Int]) -> String {
        guard let nodeValue else { return "the node has no \(field) label" }
        let here = groupCounts[nodeValue] ?? 0
        switch op {
        case .unique:
            return "\(field)=\(nodeValue) already runs \(here) pod(s) of this group (UNIQUE)"
        case .cluster:
            if let value { return "\(field)=\(nodeValue), not \(value) (CLUSTER)" }
            let others = groupCounts.filter { $0.value > 0 }.keys.sorted().joined(separator: ",")
            return "\(field)=\(nodeValue), but the group runs on \(field)=\(others) (CLUSTER)"
        case .groupBy:
            let used = groupCounts.filter { $0.value > 0 }
            let least = used.values.min() ?? 0
            let wanted = value.flatMap { Int($0) } ?? 0
            if used.count < wanted {
                return "\(field)=\(nodeValue) already runs \(here) pod(s) of this group while only \(used.count) of \(wanted) values are in use (GROUP_BY)"
            }
            return "\(field)=\(nodeValue) runs \(here) pod(s) of this group, the least-used value runs \(least) (GROUP_BY)"
        case .maxPer:
            return "\(field)=\(nodeValue) runs \(here) pod(s) of this group, at most \(value ?? "0") allowed (MAX_PER)"
        case .is:
            return "\(field)=\(nodeValue), not \(value ?? "") (IS)"
        case .like:
            return "\(field)=\(nodeValue) does not match \(value ?? "") (LIKE)"
        case .unlike:
            return "\(field)=\(nodeValue) matches \(value ?? "") (UNLIKE)"
        }
    }

    /// Whether more pods elsewhere could make a rejected node allowed (so preemption may help).
    public var dependsOnGroup: Bool { op == .unique || op == .groupBy || op == .maxPer || (op == .cluster && value == nil) }

    /// `field:OPERATOR[:value]`, Marathon's command-line form.
    public var description: String { ([field, op.rawValue] + (value.map { [$0] } ?? [])).joined(separator: ":") }

    public static func == (a: MarathonConstraint, b: MarathonConstraint) -> Bool { a.description == b.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// A compiled regular expression matched against whole values, as Marathon (Java) does.
    private final class Pattern: @unchecked Sendable {
        // NSRegularExpression is immutable and safe to share between threads.
        let regex: NSRegularExpression

        init(_ source: String) throws(FlotillaError) {
            do {
                regex = try NSRegularExpression(pattern: "^(?:" + source + ")$")
            } catch {
                throw FlotillaError(.invalid, "\"\(source)\" is not a valid regular expression")
            }
        }

        func matchesWhole(_ text: String) -> Bool {
            let range = NSRange(text.startIndex..., in: text)
            return regex.firstMatch(in: text, options: [], range: range) != nil
        }
    }
}
