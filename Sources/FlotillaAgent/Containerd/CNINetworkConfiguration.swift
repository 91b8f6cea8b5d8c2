import FlotillaCore

/// The node's pod network as a CNI configuration list, which containerd applies to every pod
/// sandbox: a Linux bridge on the host with the node's pod subnet, addresses from it handed out
/// by `host-local`, optionally the bridge plugin's masquerade of traffic leaving the subnet, and
/// `portmap` for `hostPort`s.
///
/// The node agent turns the plugin's masquerade off: it would hide a pod's address from pods on
/// other nodes too. The agent masquerades only what leaves the cluster's pod network itself
/// (``PodNetwork``).
///
/// Each sandbox's loopback interface is brought up by containerd itself, with the `loopback`
/// plugin from the same plugin directory, before this list runs.
public struct CNINetworkConfiguration: Sendable, Equatable {
    /// The network's name, as CNI results and the plugins' state name it.
    public var name: String
    /// The host bridge (at most 15 characters).
    public var bridge: String
    /// The node's pod subnet, e.g. `10.244.0.0/24` (a /24 of the cluster's `10.244.0.0/16`).
    public var subnet: String
    /// Where `host-local` records the addresses it handed out.
    public var ipamDirectory: String
    /// Have the bridge plugin masquerade traffic from pods to every address outside the node's pod subnet.
    public var masquerade: Bool

    public init(name: String = "flotilla", bridge: String = "flotilla0", subnet: String, ipamDirectory: String, masquerade: Bool = true) {
        self.name = name
        self.bridge = bridge
        self.subnet = subnet
        self.ipamDirectory = ipamDirectory
        self.masquerade = masquerade
    }

    /// The configuration's file name in containerd's CNI configuration directory.
    public static let fileName = "10-flotilla.conflist"

    /// The `.conflist` document.
    public var conflist: JSON {
        [
            "cniVersion": "1.0.0",
            "name": .string(name),
            "plugins": [
                [
                    "type": "bridge",
                    "bridge": .string(bridge),
                    "isGateway": true,
                    "ipMasq": .bool(masquerade),
                    "hairpinMode": true,
                    "ipam": [
                        "type": "host-local",
                        "ranges": [[["subnet": .string(subnet)]]],
                        "routes": [["dst": "0.0.0.0/0"]],
                        "dataDir": .string(ipamDirectory),
                    ],
                ],
                ["type": "portmap", "capabilities": ["portMappings": true]],
            ],
        ]
    }
}
