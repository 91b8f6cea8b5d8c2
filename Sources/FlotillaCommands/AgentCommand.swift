import ArgumentParser
import FlotillaAPI
import FlotillaAgent
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import ServiceLifecycle

/// `flotilla agent`: a node agent that runs the pods bound to its node as containers, through
/// its own containerd or the CRI runtime at `--container-runtime-endpoint`, or, with
/// `--runtime process`, as host processes without containerd. With `--simulate N`
/// it carries N hollow nodes instead (like kubemark or KWOK) that keep their leases and report
/// the pods bound to them Running, running nothing. Every flag may also come from `FLOTILLA_<FLAG>`.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a node agent (or hollow nodes with --simulate)."
    )

    @Option(help: "The API server URL, e.g. https://127.0.0.1:6443 (env FLOTILLA_SERVER).")
    var server: String?

    @Option(help: "The bearer token to authenticate with (env FLOTILLA_TOKEN).")
    var token: String?

    @Option(help: "PEM file of the cluster CA that signed the server's certificate (env FLOTILLA_CERTIFICATE_AUTHORITY).")
    var certificateAuthority: String?

    @Option(help: "A kubeconfig to take the server, CA and token from instead (env FLOTILLA_KUBECONFIG).")
    var kubeconfig: String?

    @Option(help: "The node's name (default: the host name); with --simulate, the prefix of the hollow nodes' names (default: sim).")
    var nodeName: String?

    @Option(help: "Where the agent keeps containerd's state and the pods' files and logs (default /var/lib/flotilla/agent; env FLOTILLA_DATA_DIR).")
    var dataDir: String?

    @Option(help: "A CRI endpoint to use, e.g. unix:///run/containerd/containerd.sock (default: the agent runs its own containerd).")
    var containerRuntimeEndpoint: String?

    @Option(help: "How containers run: cri (containerd) or process (host processes, for hosts without containerd) (default cri; env FLOTILLA_RUNTIME).")
    var runtime: String?

    @Option(help: "The node's pod subnet, a /24 of the cluster's pod network (default: the one the API server assigns to the node; env FLOTILLA_POD_CIDR).")
    var podCidr: String?

    @Option(help: "The cluster's pod network, which pods reach without masquerade (default 10.244.0.0/16; env FLOTILLA_CLUSTER_CIDR).")
    var clusterCidr: String?

    @Option(help: "The host bridge pods are wired to, at most 15 characters (default flotilla0).")
    var bridge: String = "flotilla0"

    @Option(help: "A registry HOST:PORT to reach over plain HTTP although not on loopback; repeatable.")
    var insecureRegistry: [String] = []

    @Option(help: "The node's InternalIP, which the API server reaches the agent at (default: the host's first address not on the pod bridge).")
    var nodeIp: String?

    @Option(help: "The address the agent serves its HTTPS endpoints on, for the API server's logs, exec, attach, port-forward and top (default 0.0.0.0).")
    var address: String = "0.0.0.0"

    @Option(help: "The port of the agent's HTTPS endpoints (default 10250).")
    var port: Int = 10250

    @Option(help: "Register this many hollow nodes that run nothing and report their pods Running.")
    var simulate: Int?

    @Option(help: "CPU capacity of each hollow node (default 32).")
    var nodeCpu: String = "32"

    @Option(help: "Memory capacity of each hollow node (default 128Gi).")
    var nodeMemory: String = "128Gi"

    @Option(help: "Ephemeral storage capacity of each hollow node (default 100Gi).")
    var nodeEphemeralStorage: String = "100Gi"

    @Option(help: "Pod capacity of each hollow node (default 110).")
    var nodePods: Int = 110

    @Option(help: "Labels for the nodes: key=value,key=value.")
    var labels: String?

    @Option(help: "Spread hollow nodes over this many zones: node i gets topology.kubernetes.io/zone=zone-<i mod N>.")
    var zones: Int = 0

    @Option(help: "Taints for the nodes: key=value:Effect,key:Effect (NoSchedule, PreferNoSchedule, NoExecute).")
    var taints: String?

    @Option(help: "Seconds between node lease renewals (default 10).")
    var leaseInterval: Int = 10

    @Option(help: "The cluster DNS server's address, pods' name server (default 10.96.0.10; env FLOTILLA_CLUSTER_DNS).")
    var clusterDns: String?

    @Option(help: "The cluster's DNS domain (default cluster.local; env FLOTILLA_CLUSTER_DOMAIN).")
    var clusterDomain: String?

    @Flag(help: "Remove this node's service proxy rules (iptables chains and jumps) from the host, then exit.")
    var cleanupProxyRules = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info; env FLOTILLA_LOG_LEVEL).")
    var logLevel: String?

    func validate() throws {
        if let simulate, simulate <= 0 { throw ValidationError("--simulate must be at least 1; got \(simulate)") }
        if let podCidr = EnvironmentDefaults.value(podCidr, flag: "pod-cidr") { _ = try NodeFlags.podSubnet(podCidr) }
        if try runtimeKind() == .process, EnvironmentDefaults.value(containerRuntimeEndpoint, flag: "container-runtime-endpoint") != nil {
            throw ValidationError("--container-runtime-endpoint is not allowed with --runtime process")
        }
        _ = try NodeFlags.bridge(bridge)
        guard nodePods > 0 else { throw ValidationError("--node-pods must be at least 1; got \(nodePods)") }
        guard zones >= 0 else { throw ValidationError("--zones must not be negative; got \(zones)") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535; got \(port)") }
        if let nodeIp, HostIdentity.addressBytes(nodeIp) == nil { throw ValidationError("--node-ip must be an IP address; got \(nodeIp)") }
        _ = try clusterNetwork()
        guard leaseInterval > 0 else { throw ValidationError("--lease-interval must be at least 1; got \(leaseInterval)") }
        _ = try NodeFlags.labels(labels)
        _ = try NodeFlags.taints(taints)
        _ = try EnvironmentDefaults.logLevel(logLevel)
    }

    /// The server, CA and token: from the flags (or their environment variables), else the kubeconfig.
    private func connection() throws -> KubeConfig {
        if let path = EnvironmentDefaults.value(kubeconfig, flag: "kubeconfig") {
            return try KubeConfig.load(path: path)
        }
        guard let server = EnvironmentDefaults.value(server, flag: "server") else {
            throw ValidationError("--server (or --kubeconfig) is required")
        }
        var ca: [UInt8]?
        if let path = EnvironmentDefaults.value(certificateAuthority, flag: "certificate-authority") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read --certificate-authority \(path)")
            }
            ca = Array(data)
        }
        return KubeConfig(server: server, certificateAuthorityPEM: ca, token: EnvironmentDefaults.value(token, flag: "token"))
    }

    /// `--runtime` (or `FLOTILLA_RUNTIME`), `cri` when not given.
    private func runtimeKind() throws -> NodeAgent.Configuration.Runtime {
        let name = EnvironmentDefaults.value(runtime, flag: "runtime") ?? "cri"
        guard let kind = NodeAgent.Configuration.Runtime(rawValue: name) else {
            throw ValidationError("--runtime must be cri or process; got \(name)")
        }
        return kind
    }

    /// The standard cluster network with `--cluster-cidr`, `--cluster-dns` and `--cluster-domain` (or their environment variables).
    private func clusterNetwork() throws -> ClusterNetwork {
        var network = ClusterNetwork.standard
        network.podNetwork = try NodeFlags.clusterSubnet(EnvironmentDefaults.value(clusterCidr, flag: "cluster-cidr"))
        if let text = EnvironmentDefaults.value(clusterDns, flag: "cluster-dns") {
            guard let address = IPv4Address(text) else { throw ValidationError("--cluster-dns must be an IPv4 address; got \(text)") }
            network.dnsAddress = address
        }
        if let domain = EnvironmentDefaults.value(clusterDomain, flag: "cluster-domain") {
            guard !domain.isEmpty, !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(" ") else {
                throw ValidationError("--cluster-domain must be a DNS domain such as cluster.local; got \(domain)")
            }
            network.domain = domain
        }
        return network
    }

    /// The real node's settings from the flags.
    private func nodeConfiguration() throws -> NodeAgent.Configuration {
        NodeAgent.Configuration(
            nodeName: nodeName ?? NodeFlags.hostNodeName(), dataDirectory: EnvironmentDefaults.value(dataDir, flag: "data-dir") ?? EnvironmentDefaults.dataDirectory + "/agent",
            runtimeEndpoint: EnvironmentDefaults.value(containerRuntimeEndpoint, flag: "container-runtime-endpoint"),
            podSubnet: try EnvironmentDefaults.value(podCidr, flag: "pod-cidr").map(NodeFlags.podSubnet),
            network: try clusterNetwork(), bridge: bridge, insecureRegistries: insecureRegistry, labels: try NodeFlags.labels(labels),
            taints: try NodeFlags.taints(taints), maxPods: nodePods, leaseInterval: .seconds(leaseInterval), nodeIP: nodeIp,
            runtime: try runtimeKind())
    }

    func run() async throws {
        let level = try EnvironmentDefaults.logLevel(logLevel)
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let logger = Logger(label: "flotilla.agent")
        if cleanupProxyRules {
            let node = nodeName ?? NodeFlags.hostNodeName()
            try await ServiceProxy.cleanup(nodeName: node)
            logger.info("removed the service proxy rules", metadata: ["node": .string(node)])
            return
        }
        let kubeConfig = try connection()
        let transport = try HTTPTransport(kubeConfig: kubeConfig, maxConnectionsPerHost: 128)
        let client = KubernetesClient(transport: transport)
        var services: [any Service] = []
        let agent: any Service
        if let simulate {
            agent = SimulatedNodes(
                client: client,
                configuration: .init(
                    namePrefix: nodeName ?? "sim", count: simulate,
                    capacity: NodeCapacity(cpu: nodeCpu, memory: nodeMemory, ephemeralStorage: nodeEphemeralStorage, pods: nodePods),
                    labels: try NodeFlags.labels(labels), zones: zones, taints: try NodeFlags.taints(taints),
                    leaseInterval: .seconds(leaseInterval)),
                logger: logger)
        } else {
            var configuration = try nodeConfiguration()
            let endpoints = AgentEndpointHandler()
            if let listener = try endpointListener(kubeConfig: kubeConfig, node: &configuration, handler: endpoints, logger: logger) {
                services.append(listener)
            }
            agent = NodeAgent(client: client, configuration: configuration, logger: logger, onServing: { endpoints.serve($0) })
            services.append(StartupPageRelease(logger: logger))
        }
        // The endpoints stop first on shutdown, the agent after them.
        services.insert(agent, at: 0)
        let group = ServiceGroup(configuration: .init(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        logger.info("flotilla agent stopped")
    }

    /// The HTTPS listener of the agent's endpoints, which only the API server's agent client
    /// certificate (signed by the cluster CA) may use; its port and certificate go into the
    /// node's configuration to be published in the Node. Nil, with a warning, when the agent
    /// does not know the cluster CA.
    private func endpointListener(
        kubeConfig: KubeConfig, node: inout NodeAgent.Configuration, handler: AgentEndpointHandler, logger: Logger
    ) throws -> APIHTTPServer? {
        guard let clusterCA = kubeConfig.certificateAuthorityPEM else {
            logger.warning("no cluster CA given: the agent serves no endpoints, so logs, exec, attach, port-forward and top do not reach this node")
            return nil
        }
        let certificate = try AgentServingCertificate.loadOrCreate(directory: node.dataDirectory + "/pki", nodeName: node.nodeName)
        node.endpoint = .init(port: port, certificatePEM: certificate.certificatePEM)
        let responder = APIResponder(
            handler: handler, verifiedClient: ClusterPKI.agentClientName, metrics: APIMetrics(), logger: Logger(label: "flotilla.agent.http"))
        return APIHTTPServer(
            configuration: .init(host: address, port: port, tls: try certificate.tlsConfiguration(clusterCAPEM: clusterCA)),
            responder: responder, logger: Logger(label: "flotilla.agent.http"))
    }
}
