import FlotillaCore

/// A snapshot of what cluster DNS answers from: every service with its address, ports and
/// endpoints. A plain value, built from the API's Services and EndpointSlices and handed to
/// ``ClusterDNSResolver/update(_:)`` whole.
public struct ServiceDirectory: Sendable, Equatable {
    /// A service's identity: its namespace and name.
    public struct Key: Hashable, Sendable, Comparable {
        public var namespace: String
        public var name: String

        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
        }
    }

    /// How a service is reached, which decides its records.
    public enum Kind: Sendable, Equatable {
        /// A virtual IP (types ClusterIP, NodePort, LoadBalancer); nil while none is assigned
        /// or when it is not IPv4, and the name then has no A record.
        case clusterIP(IPv4Address?)
        /// `clusterIP: None`: the name resolves to the ready endpoints themselves.
        case headless
        /// `type: ExternalName`: the name is an alias (CNAME) of another.
        case externalName(String)
    }

    /// A port of a service or an endpoint; only named ports get SRV records.
    public struct Port: Sendable, Equatable {
        public var name: String
        /// `TCP`, `UDP` or `SCTP`.
        public var `protocol`: String
        public var port: Int

        public init(name: String, protocol: String = "TCP", port: Int) {
            self.name = name
            self.protocol = `protocol`
            self.port = port
        }
    }

    /// One address behind a service, with the ports its EndpointSlice lists.
    public struct Endpoint: Sendable, Equatable {
        public var ip: IPv4Address
        /// The pod's hostname for `hostname.service.namespace.svc` (stateful set pods).
        public var hostname: String?
        public var ready: Bool
        public var ports: [Port]

        public init(ip: IPv4Address, hostname: String? = nil, ready: Bool = true, ports: [Port] = []) {
            self.ip = ip
            self.hostname = hostname
            self.ready = ready
            self.ports = ports
        }
    }

    /// One service and its endpoints.
    public struct Service: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var kind: Kind
        public var ports: [Port]
        public var endpoints: [Endpoint]

        public init(namespace: String, name: String, kind: Kind, ports: [Port] = [], endpoints: [Endpoint] = []) {
            self.namespace = namespace
            self.name = name
            self.kind = kind
            self.ports = ports
            self.endpoints = endpoints
        }

        public var key: Key { Key(namespace: namespace, name: name) }
    }

    public var services: [Key: Service]

    public init(services: [Service] = []) {
        self.services = Dictionary(services.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
    }
}
