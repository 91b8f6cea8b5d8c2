import FlotillaClient
import FlotillaCore
import FlotillaNetwork
import Logging

/// The node's share of the cluster's pod network and the host plumbing around it, for an agent
/// that wires its pods itself (its own containerd with the CNI bridge): the node's subnet,
/// given (`--pod-cidr`) or assigned by the API server (``PodNetworkAssignment``); IPv4
/// forwarding; the masquerade of pod traffic leaving the pod network (``PodEgressMasquerade``);
/// and the routes to the other nodes' pods (``NodeRoutes``).
public struct PodNetwork: Sendable {
    public let subnet: IPv4Subnet
    /// The cluster's pod network, which pods reach without masquerade.
    public let clusterNetwork: IPv4Subnet
    public let bridge: String

    public init(subnet: IPv4Subnet, clusterNetwork: IPv4Subnet, bridge: String) {
        self.subnet = subnet
        self.clusterNetwork = clusterNetwork
        self.bridge = bridge
    }

    /// The pod network of `configuration`'s node: its subnet taken from the configuration or,
    /// when it has none, from the node's `spec.podCIDR` (which the API server assigns).
    public static func establish(
        configuration: NodeAgent.Configuration, client: KubernetesClient, logger: Logger
    ) async throws -> PodNetwork {
        let subnet: IPv4Subnet
        if let configured = configuration.podSubnet {
            guard let parsed = IPv4Subnet(configured) else {
                throw FlotillaError(.invalid, "the pod subnet \(configured) is not an IPv4 subnet")
            }
            subnet = parsed
        } else {
            let assignment = PodNetworkAssignment(nodeName: configuration.nodeName, labels: configuration.labels, taints: configuration.taints)
            subnet = try await assignment.subnet(client: client, logger: logger)
            logger.info("the API server assigned the node's pod subnet", metadata: ["subnet": .string(subnet.description)])
        }
        return PodNetwork(subnet: subnet, clusterNetwork: configuration.network.podNetwork, bridge: configuration.bridge)
    }

    /// Turns IPv4 forwarding on and installs the egress masquerade; idempotent.
    public func prepare() async throws {
        try IPForwarding.enable()
        try await PodEgressMasquerade(podSubnet: subnet, clusterNetwork: clusterNetwork, bridge: bridge).install()
    }

    /// The CNI configuration of the node's pod bridge: no masquerade of its own, ``prepare()`` installs one.
    public func cniConfiguration(ipamDirectory: String) -> CNINetworkConfiguration {
        CNINetworkConfiguration(bridge: bridge, subnet: subnet.description, ipamDirectory: ipamDirectory, masquerade: false)
    }
}
