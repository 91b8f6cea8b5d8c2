/// The names of one agent's iptables chains. Every name starts with the agent's own prefix,
/// `FLT` and five characters hashed from the node's name, so that several agents on one host
/// (the end-to-end tests run several one-node clusters at once) never write, flush or delete
/// each other's chains, nor chains others create (`FLOTILLA-POD-EGRESS`, CNI's). Service and
/// endpoint chains are named by a stable hash of what they carry, as kube-proxy names
/// `KUBE-SVC-…` and `KUBE-SEP-…`; every name fits iptables' 28 characters.
public struct ProxyChainNames: Sendable, Equatable {
    /// `FLT` and five base32 characters of the node name's hash.
    public let prefix: String

    public init(nodeName: String) {
        prefix = "FLT" + StableHash.base32("flotilla-proxy/" + nodeName, length: 5)
    }

    /// nat: jumped from PREROUTING and OUTPUT; one rule per service port, node ports last.
    /// filter: the REJECT rules of service ports without endpoints.
    public var services: String { prefix + "-SERVICES" }
    /// nat: the node port rules, jumped from the end of ``services``.
    public var nodePorts: String { prefix + "-NODEPORTS" }
    /// nat: masquerades marked packets; jumped from POSTROUTING.
    public var postrouting: String { prefix + "-POSTROUTING" }
    /// nat: marks a packet to be masqueraded.
    public var markMasquerade: String { prefix + "-MARK-MASQ" }

    /// The chain that spreads a service port's traffic over its endpoints.
    public func service(_ port: ProxiedServicePort) -> String {
        service(key: Self.key(of: port))
    }

    /// The chain that sends a service port's traffic to one endpoint.
    public func endpoint(_ endpoint: ProxiedServicePort.Endpoint, of port: ProxiedServicePort) -> String {
        self.endpoint(key: Self.key(of: port), endpoint: endpoint.description)
    }

    /// What names a service port's chains: its name and protocol.
    static func key(of port: ProxiedServicePort) -> String {
        port.displayName + "/" + port.transportProtocol.rawValue
    }

    func service(key: String) -> String {
        prefix + "-SVC-" + StableHash.base32(prefix + key, length: 13)
    }

    /// The chain that spreads a service port's traffic over the endpoints on this node.
    func localService(key: String) -> String {
        prefix + "-SVL-" + StableHash.base32(prefix + key, length: 13)
    }

    /// The chain that node port traffic of a service port with `externalTrafficPolicy: Local` enters.
    func external(key: String) -> String {
        prefix + "-EXT-" + StableHash.base32(prefix + key, length: 13)
    }

    func endpoint(key: String, endpoint: String) -> String {
        prefix + "-SEP-" + StableHash.base32(prefix + key + "/" + endpoint, length: 13)
    }

    /// Whether `chain` is one of this agent's.
    public func owns(_ chain: String) -> Bool {
        chain.hasPrefix(prefix + "-")
    }
}
