import FlotillaAPI
import FlotillaCore

/// Which pods an affinity term or a spread constraint is about: a label selector over the pods
/// of some namespaces.
///
/// The namespaces are the listed ones plus those whose labels match `namespaceSelector` (an
/// empty selector: every namespace); with neither, the namespace of the pod that states it.
public struct PodSelector: Sendable, Hashable, CustomStringConvertible {
    public let labels: LabelSelector
    /// Listed namespaces, sorted.
    public let namespaces: [String]
    public let namespaceSelector: LabelSelector?
    /// Whether pods being deleted are left out (as topology spread counts them).
    public let skipsTerminating: Bool
    /// A text identifying the selection, for equality and hashing.
    public let id: String

    public init(labels: LabelSelector, namespaces: [String], namespaceSelector: LabelSelector? = nil, skipsTerminating: Bool = false) {
        self.labels = labels
        self.namespaces = Array(Set(namespaces)).sorted()
        self.namespaceSelector = namespaceSelector
        self.skipsTerminating = skipsTerminating
        let labelText = labels.matchesNothing ? "<none>" : labels.description
        let namespaceText = namespaceSelector.map { $0.matchesNothing ? "<none>" : "{\($0.description)}" } ?? ""
        id = "\(self.namespaces.joined(separator: ","))|\(namespaceText)|\(labelText)|\(skipsTerminating ? "t" : "")"
    }

    /// A selector from its JSON form (`metav1.LabelSelector`), with `matchLabelKeys` and
    /// `mismatchLabelKeys` turned into requirements on the values the stating pod carries; a
    /// selector that does not parse matches nothing.
    static func labels(
        json: JSON, matchLabelKeys: [String] = [], mismatchLabelKeys: [String] = [], podLabels: [String: String] = [:]
    ) -> LabelSelector {
        guard var selector = try? LabelSelector(json: json) else { return .nothing }
        if selector.matchesNothing { return selector }
        var extra: [LabelSelector.Requirement] = []
        for key in matchLabelKeys {
            if let value = podLabels[key], let requirement = try? LabelSelector.Requirement(key: key, op: .in, values: [value]) {
                extra.append(requirement)
            }
        }
        for key in mismatchLabelKeys {
            if let value = podLabels[key], let requirement = try? LabelSelector.Requirement(key: key, op: .notIn, values: [value]) {
                extra.append(requirement)
            }
        }
        if !extra.isEmpty { selector = LabelSelector(selector.requirements + extra) }
        return selector
    }

    /// Whether the selection includes pods of `namespace`.
    public func includes(namespace: String, namespaceLabels: [String: [String: String]]) -> Bool {
        if namespaces.contains(namespace) { return true }
        guard let namespaceSelector else { return false }
        if namespaceSelector.isEmpty { return true }
        return namespaceSelector.matches(namespaceLabels[namespace] ?? [:])
    }

    /// Whether `pod` is one of the selected pods.
    public func matches(_ pod: PodInfo, namespaceLabels: [String: [String: String]]) -> Bool {
        if skipsTerminating && pod.isTerminating { return false }
        return includes(namespace: pod.namespace, namespaceLabels: namespaceLabels) && labels.matches(pod.labels)
    }

    /// Whether the selection depends on namespace labels.
    public var usesNamespaceLabels: Bool { namespaceSelector.map { !$0.isEmpty } ?? false }

    public var description: String {
        let who = labels.matchesNothing ? "no pods" : labels.isEmpty ? "all pods" : "pods \(labels)"
        if namespaceSelector?.isEmpty == true { return who + " in all namespaces" }
        var whereText = namespaces.isEmpty ? "" : " in namespace(s) \(namespaces.joined(separator: ","))"
        if let namespaceSelector, !namespaceSelector.isEmpty { whereText += " in namespaces matching \(namespaceSelector)" }
        return who + whereText
    }

    public static func == (a: PodSelector, b: PodSelector) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Pods matched by all of several selectors (the pods an affinity counts must match every one
/// of the pod's required affinity terms).
public struct PodSelection: Sendable, Hashable {
    public let clauses: [PodSelector]

    public init(_ clauses: [PodSelector]) {
        self.clauses = clauses
    }

    public func matches(_ pod: PodInfo, namespaceLabels: [String: [String: String]]) -> Bool {
        clauses.allSatisfy { $0.matches(pod, namespaceLabels: namespaceLabels) }
    }

    public var usesNamespaceLabels: Bool { clauses.contains { $0.usesNamespaceLabels } }
}
