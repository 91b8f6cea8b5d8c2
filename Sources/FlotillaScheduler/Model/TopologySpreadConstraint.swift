import FlotillaAPI
import FlotillaCore

/// A topology spread constraint (`spec.topologySpreadConstraints[]`): matching pods must be
/// spread over the values of a node label so that no value has more than `maxSkew` pods beyond
/// the emptiest one.
public struct TopologySpreadConstraint: Sendable, Hashable, CustomStringConvertible {
    public let maxSkew: Int
    public let topologyKey: String
    /// `DoNotSchedule` (a filter) when true; `ScheduleAnyway` (a score) when false.
    public let isHard: Bool
    /// The pods counted: the stating pod's namespace, the label selector (with `matchLabelKeys`
    /// merged in), pods being deleted left out.
    public let selector: PodSelector
    /// When fewer domains than this exist, the global minimum counts as zero.
    public let minDomains: Int?
    /// Whether only nodes matching the pod's node selector and affinity count (`Honor`, the default).
    public let honorsNodeAffinity: Bool
    /// Whether only nodes whose taints the pod tolerates count (`Honor`; `Ignore` is the default).
    public let honorsNodeTaints: Bool

    public init(
        maxSkew: Int, topologyKey: String, isHard: Bool, selector: PodSelector, minDomains: Int? = nil,
        honorsNodeAffinity: Bool = true, honorsNodeTaints: Bool = false
    ) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        self.isHard = isHard
        self.selector = selector
        self.minDomains = minDomains
        self.honorsNodeAffinity = honorsNodeAffinity
        self.honorsNodeTaints = honorsNodeTaints
    }

    public init(json: JSON, namespace: String, podLabels: [String: String]) {
        let labels = PodSelector.labels(
            json: json["labelSelector"], matchLabelKeys: (json["matchLabelKeys"].array ?? []).compactMap(\.string),
            podLabels: podLabels)
        self.init(
            maxSkew: Int(json["maxSkew"].int ?? 1), topologyKey: json["topologyKey"].string ?? "",
            isHard: (json["whenUnsatisfiable"].string ?? "DoNotSchedule") != "ScheduleAnyway",
            selector: PodSelector(labels: labels, namespaces: [namespace], skipsTerminating: true),
            minDomains: json["minDomains"].int.map { Int($0) },
            honorsNodeAffinity: json["nodeAffinityPolicy"].string != "Ignore",
            honorsNodeTaints: json["nodeTaintsPolicy"].string == "Honor")
    }

    public var description: String {
        "maxSkew \(maxSkew) over \(topologyKey) for \(selector.labels.matchesNothing ? "no pods" : "pods \(selector.labels)")"
    }
}
