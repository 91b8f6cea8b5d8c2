/// Why a pod fits on no node: how many nodes there were and how often each reason rejected
/// one, rendered as Kubernetes renders it.
public struct FitFailure: Error, Sendable, Equatable {
    public var nodeCount: Int
    /// Each reason with the number of nodes it rejected.
    public var reasonCounts: [String: Int]
    /// A reason that rejected the pod before any node was judged (e.g. an unreadable annotation).
    public var preFilterMessage: String?
    /// The slots of the nodes whose rejection evicting pods could resolve (for preemption).
    public var resolvableSlots: [Int]

    public init(nodeCount: Int, reasonCounts: [String: Int] = [:], preFilterMessage: String? = nil, resolvableSlots: [Int] = []) {
        self.nodeCount = nodeCount
        self.reasonCounts = reasonCounts
        self.preFilterMessage = preFilterMessage
        self.resolvableSlots = resolvableSlots
    }

    /// Kubernetes' message for an unschedulable pod, e.g. `0/5 nodes are available:
    /// 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu, 2 node(s) didn't
    /// match Pod's node affinity/selector.` — entries `<count> <reason>` sorted as strings
    /// (byte order, so counts lead), as kube-scheduler sorts them.
    public var message: String {
        if nodeCount == 0 { return Self.noNodesMessage }
        var message = "0/\(nodeCount) nodes are available:"
        if let preFilterMessage {
            message += " \(preFilterMessage)."
        } else {
            let entries = reasonCounts.map { "\($0.value) \($0.key)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if !entries.isEmpty { message += " " + entries.joined(separator: ", ") + "." }
        }
        return message
    }

    /// What Kubernetes says when the cluster has no node at all.
    public static let noNodesMessage = "no nodes available to schedule pods"
}
