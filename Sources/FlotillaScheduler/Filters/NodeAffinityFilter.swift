/// Keeps pods on nodes that carry their `nodeSelector` labels and match one of their required
/// node affinity terms (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`; `matchFields` on
/// `metadata.name`).
public struct NodeAffinityFilter: FilterPlugin {
    public var name: String { "NodeAffinity" }
    public static let reason = "node(s) didn't match Pod's node affinity/selector"
    /// The rejection a scheduling cycle gets, made once so that returning it allocates nothing.
    static let rejection = Verdict.unresolvable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.pod.placement.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        let placement = cycle.pod.placement
        let labels = node.labels
        if placement.matches(name: node.name, labels: labels) { return nil }
        guard explain else { return Self.rejection }
        var problems: [String] = []
        var fixes: [String] = []
        for (key, value) in placement.nodeSelector.sorted(by: { $0.key < $1.key }) where labels[key] != value {
            problems.append("node selector \(key)=\(value): " + (labels[key].map { "the node has \(key)=\($0)" } ?? "the node has no \(key) label"))
            fixes.append("remove node selector \(key)=\(value) or label \(node.name) \(key)=\(value)")
        }
        if let terms = placement.terms, !terms.contains(where: { $0.matches(name: node.name, labels: labels) }) {
            let described = terms.map { "(\($0))" }.joined(separator: " or ")
            problems.append("required node affinity \(described) does not match the node's labels")
            fixes.append("relax the required node affinity or label \(node.name) to match \(terms.first.map { "\($0)" } ?? "a term")")
        }
        return .unresolvable(
            Self.reason, detail: problems.joined(separator: "; "), fix: Fix(fixes.joined(separator: "; "), cost: 2 * Double(fixes.count)))
    }
}
