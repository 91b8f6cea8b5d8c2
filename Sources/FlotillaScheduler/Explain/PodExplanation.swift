/// Why a pod is pending, or why it runs where it runs: the verdict of every filter on every
/// node, the best scores, Kubernetes' summary message, and the smallest changes that would let
/// a pending pod fit.
///
/// The server returns it as JSON from `GET /apis/flotilla.io/v1/namespaces/{ns}/pods/{name}/explain`;
/// `flotilla explain pod` prints it with ``rendered()``.
public struct PodExplanation: Sendable, Codable, Equatable {
    /// One filter's verdict on one node.
    public struct RuleVerdict: Sendable, Codable, Equatable {
        public var rule: String
        public var passed: Bool
        /// Kubernetes' reasons (empty when passed).
        public var reasons: [String]
        /// The numbers behind the verdict, e.g. `cpu: requested 2, free 0.5 of 4`.
        public var detail: String
    }

    /// One node: every applicable filter's verdict and, when it passed them all, its scores.
    public struct NodeEntry: Sendable, Codable, Equatable {
        public var node: String
        public var feasible: Bool
        public var verdicts: [RuleVerdict]
        /// The weighted total score (feasible nodes only).
        public var score: Int64?
    }

    /// A feasible node's total and per-plugin scores (0–100 each, before weights).
    public struct NodeScore: Sendable, Codable, Equatable {
        public var node: String
        public var total: Int64
        public var scores: [String: Int64]
    }

    public var apiVersion = "flotilla.io/v1"
    public var kind = "PodExplanation"
    public var namespace: String
    public var name: String
    public var schedulerName: String
    public var scoring: String
    /// The node the pod is bound (or being bound) to; nil while it is pending.
    public var nodeName: String?
    /// The pod's requests as the scheduler counts them.
    public var requests: [String: String]
    /// The filters that judged the pod, in order; the others had nothing to check.
    public var rules: [String]
    /// `0/5 nodes are available: …` when nothing fits, else which nodes fit and which is best.
    public var message: String
    public var nodes: [NodeEntry]
    /// The best feasible nodes, best first (at most five).
    public var bestScores: [NodeScore]
    /// The smallest changes that would let the pod fit, smallest first.
    public var suggestions: [String]

    public init(
        namespace: String, name: String, schedulerName: String, scoring: String, nodeName: String?,
        requests: [String: String], rules: [String], message: String, nodes: [NodeEntry], bestScores: [NodeScore],
        suggestions: [String]
    ) {
        self.namespace = namespace
        self.name = name
        self.schedulerName = schedulerName
        self.scoring = scoring
        self.nodeName = nodeName
        self.requests = requests
        self.rules = rules
        self.message = message
        self.nodes = nodes
        self.bestScores = bestScores
        self.suggestions = suggestions
    }
}
