import FlotillaAPI
import FlotillaCore

/// An inter-pod affinity or anti-affinity term: the pods it is about and the topology key
/// that says what "together" means (same node, same zone, …), with a weight when preferred.
public struct PodAffinityTerm: Sendable, Hashable, CustomStringConvertible {
    public let selector: PodSelector
    public let topologyKey: String
    /// The weight of a preferred term (1–100); 1 for a required one.
    public let weight: Int64

    public init(selector: PodSelector, topologyKey: String, weight: Int64 = 1) {
        self.selector = selector
        self.topologyKey = topologyKey
        self.weight = weight
    }

    /// A term from its JSON form, stated by a pod in `namespace` with `podLabels`.
    public init(json: JSON, namespace: String, podLabels: [String: String], weight: Int64 = 1) {
        let namespaces = (json["namespaces"].array ?? []).compactMap(\.string)
        let namespaceSelector: LabelSelector? =
            json["namespaceSelector"].isNull ? nil : ((try? LabelSelector(json: json["namespaceSelector"])) ?? .nothing)
        let labels = PodSelector.labels(
            json: json["labelSelector"], matchLabelKeys: (json["matchLabelKeys"].array ?? []).compactMap(\.string),
            mismatchLabelKeys: (json["mismatchLabelKeys"].array ?? []).compactMap(\.string), podLabels: podLabels)
        self.init(
            selector: PodSelector(
                labels: labels, namespaces: namespaces.isEmpty && namespaceSelector == nil ? [namespace] : namespaces,
                namespaceSelector: namespaceSelector),
            topologyKey: json["topologyKey"].string ?? "", weight: weight)
    }

    /// The terms of a list such as `requiredDuringSchedulingIgnoredDuringExecution`.
    static func required(_ list: JSON, namespace: String, podLabels: [String: String]) -> [PodAffinityTerm] {
        (list.array ?? []).map { PodAffinityTerm(json: $0, namespace: namespace, podLabels: podLabels) }
    }

    /// The terms of a `preferredDuringSchedulingIgnoredDuringExecution` list, with their weights.
    static func preferred(_ list: JSON, namespace: String, podLabels: [String: String]) -> [PodAffinityTerm] {
        (list.array ?? []).map {
            PodAffinityTerm(json: $0["podAffinityTerm"], namespace: namespace, podLabels: podLabels, weight: $0["weight"].int ?? 1)
        }
    }

    public var description: String { "\(selector) by \(topologyKey)" }
}
