import FlotillaAPI
import FlotillaCore

/// What preemption needs of a `policy/v1` PodDisruptionBudget: the pods it protects and how
/// many of them may still be disrupted.
public struct DisruptionBudget: Sendable {
    public let namespace: String
    public let name: String
    public let selector: LabelSelector
    /// `status.disruptionsAllowed`.
    public let disruptionsAllowed: Int
    /// Pods the budget already counts as disrupted (`status.disruptedPods`).
    public let disruptedPods: Set<String>

    public init(namespace: String, name: String, selector: LabelSelector, disruptionsAllowed: Int, disruptedPods: Set<String> = []) {
        self.namespace = namespace
        self.name = name
        self.selector = selector
        self.disruptionsAllowed = disruptionsAllowed
        self.disruptedPods = disruptedPods
    }

    public init(json: JSON) {
        self.init(
            namespace: json["metadata"]["namespace"].string ?? "", name: json["metadata"]["name"].string ?? "",
            selector: (try? LabelSelector(json: json["spec"]["selector"])) ?? .nothing,
            disruptionsAllowed: Int(json["status"]["disruptionsAllowed"].int ?? 0),
            disruptedPods: Set((json["status"]["disruptedPods"].object ?? [:]).keys))
    }

    /// Whether the budget protects `pod` (as preemption reads budgets, an empty selector
    /// protects nothing).
    public func covers(_ pod: PodInfo) -> Bool {
        pod.namespace == namespace && !selector.isEmpty && !selector.matchesNothing && selector.matches(pod.labels)
            && !disruptedPods.contains(pod.name)
    }
}
