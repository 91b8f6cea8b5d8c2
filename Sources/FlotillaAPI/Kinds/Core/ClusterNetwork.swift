import FlotillaCore

/// The cluster's address plan: the pod network (one /24 per node), the service network that
/// cluster IPs come from, the node port range, the cluster DNS server's address and domain.
public struct ClusterNetwork: Sendable, Equatable {
    public var podNetwork: IPv4Subnet
    /// The prefix length of each node's share of ``podNetwork`` (`spec.podCIDR`).
    public var nodePrefixLength: Int
    public var serviceNetwork: IPv4Subnet
    public var nodePorts: ClosedRange<Int>
    public var dnsAddress: IPv4Address
    public var domain: String

    public init(
        podNetwork: IPv4Subnet, nodePrefixLength: Int = 24, serviceNetwork: IPv4Subnet, nodePorts: ClosedRange<Int> = 30000...32767,
        dnsAddress: IPv4Address, domain: String = "cluster.local"
    ) {
        self.podNetwork = podNetwork
        self.nodePrefixLength = nodePrefixLength
        self.serviceNetwork = serviceNetwork
        self.nodePorts = nodePorts
        self.dnsAddress = dnsAddress
        self.domain = domain
    }

    /// Pods in `10.244.0.0/16`, services in `10.96.0.0/12`, DNS at `10.96.0.10`, domain `cluster.local`.
    public static let standard = ClusterNetwork(
        podNetwork: IPv4Subnet("10.244.0.0/16")!, serviceNetwork: IPv4Subnet("10.96.0.0/12")!, dnsAddress: IPv4Address("10.96.0.10")!)

    /// The `kubernetes` service's address: the first of the service network.
    public var apiServerServiceAddress: IPv4Address { serviceNetwork.address(at: 1) }
}
