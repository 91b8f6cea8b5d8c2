import FlotillaCore

/// One port of a Service as the service proxy carries it: where clients send (its cluster IP
/// and port, its node port) and the endpoints traffic goes to.
public struct ProxiedServicePort: Sendable, Hashable {
    /// The transport protocol of a service port.
    public enum TransportProtocol: String, Sendable, Hashable {
        case tcp = "TCP", udp = "UDP", sctp = "SCTP"

        /// The name iptables uses (`-p tcp`).
        public var iptablesName: String { rawValue.lowercased() }
    }

    /// One backend of the port: a pod address and its target port.
    public struct Endpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var address: IPv4Address
        public var port: Int
        /// `conditions.ready`; only ready endpoints receive traffic.
        public var ready: Bool
        /// On the proxy's own node (the slice's `nodeName`): the only endpoints of a `Local` traffic policy.
        public var local: Bool

        public init(address: IPv4Address, port: Int, ready: Bool = true, local: Bool = false) {
            self.address = address
            self.port = port
            self.ready = ready
            self.local = local
        }

        /// `10.244.0.5:8080`.
        public var description: String { "\(address):\(port)" }

        public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
            (lhs.address, lhs.port) < (rhs.address, rhs.port)
        }
    }

    public var namespace: String
    public var serviceName: String
    /// The port's name; empty for the single unnamed port of a service.
    public var portName: String
    public var transportProtocol: TransportProtocol
    public var clusterIP: IPv4Address
    public var port: Int
    /// The node port, for services of type NodePort and LoadBalancer.
    public var nodePort: Int?
    /// Further addresses the port is reached at: `spec.externalIPs` and the load balancer's
    /// ingress IPs, sorted.
    public var externalAddresses: [IPv4Address]
    /// With `sessionAffinity: ClientIP`, how long a client sticks to its endpoint, in seconds.
    public var affinitySeconds: Int?
    /// `internalTrafficPolicy: Local`: cluster IP traffic goes only to endpoints on this node.
    public var internalTrafficLocal: Bool
    /// `externalTrafficPolicy: Local`: node port traffic from outside goes only to endpoints on
    /// this node and keeps its source address.
    public var externalTrafficLocal: Bool
    /// The endpoints, sorted.
    public var endpoints: [Endpoint]

    public init(
        namespace: String, serviceName: String, portName: String = "", transportProtocol: TransportProtocol = .tcp,
        clusterIP: IPv4Address, port: Int, nodePort: Int? = nil, externalAddresses: [IPv4Address] = [], affinitySeconds: Int? = nil,
        internalTrafficLocal: Bool = false, externalTrafficLocal: Bool = false, endpoints: [Endpoint] = []
    ) {
        self.namespace = namespace
        self.serviceName = serviceName
        self.portName = portName
        self.transportProtocol = transportProtocol
        self.clusterIP = clusterIP
        self.port = port
        self.nodePort = nodePort
        self.externalAddresses = externalAddresses.sorted()
        self.affinitySeconds = affinitySeconds
        self.internalTrafficLocal = internalTrafficLocal
        self.externalTrafficLocal = externalTrafficLocal
        self.endpoints = endpoints.sorted()
    }

    /// `namespace/name:port` (`namespace/name` for an unnamed port), as kube-proxy names a service port.
    public var displayName: String {
        portName.isEmpty ? "\(namespace)/\(serviceName)" : "\(namespace)/\(serviceName):\(portName)"
    }

    /// The endpoints that receive traffic.
    public var readyEndpoints: [Endpoint] { endpoints.filter(\.ready) }
}
