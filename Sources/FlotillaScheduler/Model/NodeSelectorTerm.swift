import FlotillaAPI
import FlotillaCore

/// One term of a node affinity (`nodeSelectorTerms[]` or a preferred term's `preference`):
/// label requirements (`matchExpressions`) and field requirements (`matchFields`, only
/// `metadata.name`), all of which must hold.
///
/// Operators are Kubernetes': `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt` (integers).
/// A term with no requirement, or with one Kubernetes would reject, matches no node.
public struct NodeSelectorTerm: Sendable, CustomStringConvertible {
    public var expressions: [LabelSelector.Requirement]
    public var fields: [LabelSelector.Requirement]
    /// False when a requirement could not be read (unknown operator, bad key or value).
    public var isValid: Bool

    public init(expressions: [LabelSelector.Requirement], fields: [LabelSelector.Requirement] = [], isValid: Bool = true) {
        self.expressions = expressions
        self.fields = fields
        self.isValid = isValid
    }

    public init(json: JSON) {
        var valid = true
        func requirements(_ list: JSON, fields: Bool) -> [LabelSelector.Requirement] {
            (list.array ?? []).compactMap { item in
                let key = item["key"].string ?? ""
                guard let op = Self.operators[item["operator"].string ?? ""], !fields || key == "metadata.name",
                    let requirement = try? LabelSelector.Requirement(
                        key: key, op: op, values: (item["values"].array ?? []).map { $0.string ?? "" })
                else {
                    valid = false
                    return nil
                }
                return requirement
            }
        }
        let expressions = requirements(json["matchExpressions"], fields: false)
        let fields = requirements(json["matchFields"], fields: true)
        self.init(expressions: expressions, fields: fields, isValid: valid)
    }

    static let operators: [String: LabelSelector.Operator] = [
        "In": .in, "NotIn": .notIn, "Exists": .exists, "DoesNotExist": .doesNotExist, "Gt": .greaterThan, "Lt": .lessThan,
    ]

    /// Whether a node with this name and these labels satisfies the term.
    public func matches(name: String, labels: [String: String]) -> Bool {
        guard isValid, !(expressions.isEmpty && fields.isEmpty) else { return false }
        for requirement in expressions where !requirement.matches(labels) { return false }
        for requirement in fields where !requirement.matches(["metadata.name": name]) { return false }
        return true
    }

    /// The requirements as a selector string, e.g. `disktype in (ssd),metadata.name notin (n1)`.
    public var description: String {
        if !isValid { return "<invalid term>" }
        return (expressions + fields).map(\.description).joined(separator: ",")
    }
}

/// The node placement a pod requires: its `nodeSelector` labels and its required node
/// affinity terms (any one of which must match).
public struct RequiredNodePlacement: Sendable {
    /// `spec.nodeSelector`: labels the node must carry with these values.
    public var nodeSelector: [String: String]
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, ORed; nil when absent.
    public var terms: [NodeSelectorTerm]?

    public init(nodeSelector: [String: String] = [:], terms: [NodeSelectorTerm]? = nil) {
        self.nodeSelector = nodeSelector
        self.terms = terms
    }

    /// Whether the pod constrains its nodes at all.
    public var isEmpty: Bool { nodeSelector.isEmpty && terms == nil }

    /// Whether a node satisfies both the selector and the terms.
    public func matches(name: String, labels: [String: String]) -> Bool {
        for (key, value) in nodeSelector where labels[key] != value { return false }
        guard let terms else { return true }
        return terms.contains { $0.matches(name: name, labels: labels) }
    }
}

/// A preferred node affinity term with its weight (1–100).
public struct WeightedNodeSelectorTerm: Sendable {
    public var weight: Int64
    public var term: NodeSelectorTerm

    public init(weight: Int64, term: NodeSelectorTerm) {
        self.weight = weight
        self.term = term
    }
}
