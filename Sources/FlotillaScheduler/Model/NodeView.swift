import FlotillaAPI
import FlotillaCore

/// What the scheduler needs to know about a node, decoded once from its JSON: its name,
/// labels, taints, whether it is cordoned, and what it can hold.
public struct NodeView: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var taints: [Taint]
    /// `spec.unschedulable` (cordoned).
    public var unschedulable: Bool
    /// `status.allocatable` (`status.capacity` when a node reports no allocatable).
    public var allocatable: ResourceAmounts
    /// The `pods` entry of the allocatable resources: how many pods the node may run.
    public var allowedPods: Int

    public init(
        name: String, labels: [String: String] = [:], taints: [Taint] = [], unschedulable: Bool = false,
        allocatable: ResourceAmounts = ResourceAmounts(), allowedPods: Int = 110
    ) {
        self.name = name
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.allocatable = allocatable
        self.allowedPods = allowedPods
    }

    public init(json node: JSON) {
        var labels: [String: String] = [:]
        for (key, value) in node["metadata"]["labels"].object ?? [:] { labels[key] = value.string ?? "" }
        let resources = node["status"]["allocatable"].isNull ? node["status"]["capacity"] : node["status"]["allocatable"]
        let pods = Quantity(json: resources[ResourceAmounts.podsName]).map { Int(clamping: $0.integerValue) } ?? 0
        self.init(
            name: node["metadata"]["name"].string ?? "", labels: labels,
            taints: (node["spec"]["taints"].array ?? []).map { Taint(json: $0) },
            unschedulable: node["spec"]["unschedulable"].bool ?? false,
            allocatable: ResourceAmounts(json: resources), allowedPods: pods)
    }
}
