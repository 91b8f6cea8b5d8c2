import FlotillaAPI
import FlotillaCore

/// What the host-gw routes need to know about one Node: its pod subnet, its InternalIP and
/// whether it is a simulated (hollow) node that has no pods to reach.
public struct PodNetworkPeer: Hashable, Sendable {
    public var name: String
    /// `spec.podCIDR`, when set and a valid IPv4 subnet.
    public var podSubnet: IPv4Subnet?
    /// The first `InternalIP` of `status.addresses`, when it is an IPv4 address.
    public var internalIP: IPv4Address?
    /// The node's annotation ``NodeAnnotations/runtime`` says `simulated`.
    public var simulated: Bool

    public init(name: String, podSubnet: IPv4Subnet?, internalIP: IPv4Address?, simulated: Bool = false) {
        self.name = name
        self.podSubnet = podSubnet
        self.internalIP = internalIP
        self.simulated = simulated
    }

    /// The peer a Node object describes; nil when it has no name.
    public init?(node: JSON) {
        guard let name = node["metadata"]["name"].string else { return nil }
        let address = node["status"]["addresses"].array?.first { $0["type"].string == "InternalIP" }?["address"].string
        self.init(
            name: name,
            podSubnet: node["spec"]["podCIDR"].string.flatMap { IPv4Subnet($0) },
            internalIP: address.flatMap { IPv4Address($0) },
            simulated: node["metadata"]["annotations"][NodeAnnotations.runtime].string == "simulated")
    }
}
