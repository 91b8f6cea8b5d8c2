import FlotillaCore

/// A host route to another node's pod subnet through that node's address, as flannel's host-gw
/// backend installs them: `ip route replace 10.244.1.0/24 via 172.30.5.11 proto 151`.
public struct PodSubnetRoute: Hashable, Sendable, CustomStringConvertible {
    /// The other node's pod subnet (`spec.podCIDR`).
    public var destination: IPv4Subnet
    /// The other node's InternalIP, on a network this host is directly attached to.
    public var gateway: IPv4Address

    public init(destination: IPv4Subnet, gateway: IPv4Address) {
        self.destination = destination
        self.gateway = gateway
    }

    /// The routing protocol number that marks the routes the agent installs, so that it can
    /// find them again (`ip route show proto 151`) and remove those it no longer wants.
    public static let protocolNumber = 151

    public var description: String { "\(destination) via \(gateway)" }
}
