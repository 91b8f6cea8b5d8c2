/// A pod sandbox to run: the pod it belongs to, its hostname, DNS and ports, and where its
/// containers' logs go. Its network is the node's pod network unless it uses the host's.
public struct SandboxConfiguration: Sendable, Equatable {
    /// A port of the sandbox published on the node.
    public struct PortMapping: Sendable, Equatable {
        public enum TransportProtocol: String, Sendable, Equatable {
            case tcp = "TCP", udp = "UDP", sctp = "SCTP"
        }

        public var transportProtocol: TransportProtocol
        public var containerPort: Int32
        public var hostPort: Int32
        /// The node address to publish on; empty for all.
        public var hostIP: String

        public init(transportProtocol: TransportProtocol = .tcp, containerPort: Int32, hostPort: Int32, hostIP: String = "") {
            self.transportProtocol = transportProtocol
            self.containerPort = containerPort
            self.hostPort = hostPort
            self.hostIP = hostIP
        }
    }

    /// The sandbox's resolv.conf.
    public struct DNS: Sendable, Equatable {
        public var servers: [String]
        public var searches: [String]
        public var options: [String]

        public init(servers: [String] = [], searches: [String] = [], options: [String] = []) {
            self.servers = servers
            self.searches = searches
            self.options = options
        }
    }

    /// The pod's name, namespace and uid.
    public var podName: String
    public var podNamespace: String
    public var podUID: String
    /// How many sandboxes this pod had before this one.
    public var attempt: UInt32
    public var hostname: String
    /// The directory of the pod's container logs (Kubernetes: `/var/log/pods/<ns>_<name>_<uid>`).
    public var logDirectory: String
    public var dns: DNS?
    public var portMappings: [PortMapping]
    /// Use the node's network namespace instead of a pod network (`hostNetwork`).
    public var hostNetwork: Bool
    /// Containers see each other's processes (`shareProcessNamespace`).
    public var sharesProcessNamespace: Bool
    /// The cgroup the pod's containers go under (cgroupfs syntax), or empty for the runtime's default.
    public var cgroupParent: String
    public var sysctls: [String: String]
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        podName: String, podNamespace: String, podUID: String, attempt: UInt32 = 0, hostname: String? = nil,
        logDirectory: String, dns: DNS? = nil, portMappings: [PortMapping] = [], hostNetwork: Bool = false,
        sharesProcessNamespace: Bool = false, cgroupParent: String = "", sysctls: [String: String] = [:],
        labels: [String: String] = [:], annotations: [String: String] = [:]
    ) {
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.attempt = attempt
        self.hostname = hostname ?? podName
        self.logDirectory = logDirectory
        self.dns = dns
        self.portMappings = portMappings
        self.hostNetwork = hostNetwork
        self.sharesProcessNamespace = sharesProcessNamespace
        self.cgroupParent = cgroupParent
        self.sysctls = sysctls
        self.labels = labels
        self.annotations = annotations
    }
}
