import FlotillaAPI
import FlotillaCRI
import FlotillaClient
import FlotillaCore
import FlotillaNetwork
import Foundation
import Logging
import ServiceLifecycle

/// The agent of one real node, Flotilla's kubelet: it runs (or connects to) a CRI container
/// runtime, registers the node with the host's capacity and facts, keeps its lease renewed and
/// its conditions current (``NodeStatusReporter``) and makes the pods bound to it real (``PodSync``).
///
/// Without a ``Configuration/runtimeEndpoint`` it starts and supervises its own containerd, with
/// a bridge network on the node's pod subnet, as k3s does. Stopping the agent stops that
/// containerd but not the containers: they keep running in their shims, and the next agent
/// adopts them. With the ``Configuration/Runtime/process`` runtime it runs no containerd: each
/// container is a host process (``ProcessRuntime``).
public final class NodeAgent: Service, Sendable {
    /// The node and where its agent keeps things.
    public struct Configuration: Sendable {
        /// How the node runs containers.
        public enum Runtime: String, Sendable, CaseIterable {
            /// Through CRI: the agent's own containerd, or the runtime at ``Configuration/runtimeEndpoint``.
            case cri
            /// As host processes, for hosts without containerd (``ProcessRuntime``).
            case process
        }

        public var nodeName: String
        public var runtime: Runtime
        /// containerd's state, the pods' files and logs go under it.
        public var dataDirectory: String
        /// A CRI endpoint (`unix:///run/containerd/containerd.sock`) to use instead of running containerd.
        public var runtimeEndpoint: String?
        /// The node's pod subnet, a /24 of the cluster's 10.244.0.0/16; nil to use the one the
        /// API server assigns to the node (``PodNetworkAssignment``).
        public var podSubnet: String?
        /// The host bridge the pods are wired to (at most 15 characters).
        public var bridge: String
        /// `HOST:PORT` of registries reached over plain HTTP although not on loopback.
        public var insecureRegistries: [String]
        public var labels: [String: String]
        public var taints: [JSON]
        public var maxPods: Int
        public var leaseInterval: Duration
        /// The node's InternalIP (default: the host's first address not on the pod bridge).
        public var nodeIP: String?
        /// The HTTPS endpoint the agent serves the API server from, published in its Node.
        public var endpoint: Endpoint?
        /// The cluster's address plan: the pod network (routed between nodes, not masqueraded;
        /// told apart by the service proxy), the cluster DNS address the node answers on and the
        /// domain pods resolve names in.
        public var network: ClusterNetwork

        /// Where the API server reaches a remote agent: the port, and the self-signed
        /// certificate the API server is to trust for this node.
        public struct Endpoint: Sendable {
            public var port: Int
            public var certificatePEM: String

            public init(port: Int, certificatePEM: String) {
                self.port = port
                self.certificatePEM = certificatePEM
            }
        }

        public init(
            nodeName: String, dataDirectory: String, runtimeEndpoint: String? = nil, podSubnet: String? = nil,
            network: ClusterNetwork = .standard, bridge: String = "flotilla0", insecureRegistries: [String] = [], labels: [String: String] = [:], taints: [JSON] = [],
            maxPods: Int = 110, leaseInterval: Duration = .seconds(10), nodeIP: String? = nil, endpoint: Endpoint? = nil,
            runtime: Runtime = .cri
        ) {
            self.nodeName = nodeName
            self.runtime = runtime
            self.dataDirectory = dataDirectory
            self.runtimeEndpoint = runtimeEndpoint
            self.podSubnet = podSubnet
            self.network = network
            self.bridge = bridge
            self.insecureRegistries = insecureRegistries
            self.labels = labels
            self.taints = taints
            self.maxPods = maxPods
            self.leaseInterval = leaseInterval
            self.nodeIP = nodeIP
            self.endpoint = endpoint
        }

        /// Each pod's own files (its emptyDir volumes).
        public var podDirectory: String { dataDirectory + "/pods" }
        /// The containers' logs, one directory per pod.
        public var logDirectory: String { dataDirectory + "/logs" }
    }

    public let configuration: Configuration
    private let client: KubernetesClient
    private let logger: Logger
    private let onServing: @Sendable (any APIHandler) -> Void

    /// - Parameter onServing: called with the agent's endpoints (container logs) once its
    ///   runtime answers, for an API server in the same process to reach it.
    public init(
        client: KubernetesClient, configuration: Configuration, logger: Logger = Logger(label: "flotilla.agent"),
        onServing: @escaping @Sendable (any APIHandler) -> Void = { _ in }
    ) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.onServing = onServing
    }

    public func run() async throws {
        if configuration.runtime == .process {
            let runtime = ProcessRuntime(
                configuration: .init(
                    dataDirectory: configuration.dataDirectory,
                    hostIP: configuration.nodeIP ?? HostFacts.internalIP(excluding: [configuration.bridge]),
                    insecureRegistries: configuration.insecureRegistries),
                logger: logger)
            try await serve(runtime: runtime)
            logger.info("agent stopped; its containers keep running", metadata: ["node": .string(configuration.nodeName)])
            return
        }
        let podNetwork = configuration.runtimeEndpoint == nil ? try await PodNetwork.establish(configuration: configuration, client: client, logger: logger) : nil
        try await podNetwork?.prepare()
        let supervisor = podNetwork.map(makeSupervisor)
        if let supervisor { try await supervisor.start() }
        let endpoint = configuration.runtimeEndpoint ?? supervisor!.endpoint
        let criClient: CRIClient
        do {
            criClient = try CRIClient(endpoint: endpoint)
        } catch {
            await supervisor?.stop()
            throw error
        }
        do {
            try await serve(runtime: CRIRuntime(client: criClient), podNetwork: podNetwork)
        } catch {
            await criClient.close()
            await supervisor?.stop()
            throw error
        }
        await criClient.close()
        await supervisor?.stop()
        logger.info("agent stopped; its containers keep running", metadata: ["node": .string(configuration.nodeName)])
    }

    private func makeSupervisor(_ podNetwork: PodNetwork) -> ContainerdSupervisor {
        ContainerdSupervisor(
            configuration: ContainerdConfiguration(dataDirectory: configuration.dataDirectory, insecureRegistries: configuration.insecureRegistries),
            network: podNetwork.cniConfiguration(ipamDirectory: configuration.dataDirectory + "/cni/ipam"),
            logger: logger)
    }

    /// Registers the node, then renews its lease, syncs its pods and, with a pod network of its
    /// own, keeps the routes to the other nodes' pods until shutdown.
    private func serve(runtime: any ContainerRuntime, podNetwork: PodNetwork? = nil) async throws {
        let description = try await describe(runtime, podSubnet: podNetwork?.subnet)
        onServing(AgentEndpoints(runtime: runtime))
        try await register(description)
        logger.info("node registered", metadata: [
            "node": .string(description.name), "address": .string(description.internalIP),
            "runtime": .string(description.containerRuntimeVersion),
        ])
        let catalog = ServiceCatalog(client: client, logger: logger)
        let proxy = serviceProxy(catalog)
        let dns = clusterDNS(catalog)
        let leases = NodeLeaseRenewer(client: client, nodes: [configuration.nodeName], interval: configuration.leaseInterval, logger: logger)
        let volumes = LocalVolumeProvisioner(
            client: client, nodeName: configuration.nodeName, directory: configuration.dataDirectory + "/volumes", logger: logger)
        let pods = PodSync(
            client: client, runtime: runtime,
            configuration: PodSync.Configuration(
                nodeName: configuration.nodeName, hostIP: description.internalIP,
                worker: PodWorker.Options(
                    nodeName: configuration.nodeName, podDirectory: configuration.podDirectory, logDirectory: configuration.logDirectory,
                    writesHostsFile: configuration.runtime == .cri),
                runtimeName: configuration.runtime == .process ? ProcessRuntime.name : "containerd",
                // Process-runtime pods share the host's network, where no service is proxied: they resolve as the host does.
                dns: PodDNS(clusterNetwork: configuration.runtime == .cri ? configuration.network : nil, host: .load())),
            services: catalog, volumes: volumes, logger: logger)
        let conditions = NodeStatusReporter(
            client: client, nodeName: configuration.nodeName, runtime: runtime, dataDirectory: configuration.dataDirectory, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await leases.run() }
            group.addTask { try await catalog.run() }
            if let proxy { group.addTask { try await proxy.run() } }
            if let dns { group.addTask { try await dns.run() } }
            group.addTask { try await pods.run() }
            group.addTask { await volumes.run() }
            group.addTask { await conditions.run() }
            if let podNetwork {
                let routes = NodeRoutes(client: client, nodeName: configuration.nodeName, podSubnet: podNetwork.subnet, bridge: podNetwork.bridge, logger: logger)
                group.addTask { try await routes.run() }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The service proxy of a node whose pods run in containers; nil with the process runtime,
    /// whose pods share the host's network.
    private func serviceProxy(_ catalog: ServiceCatalog) -> ServiceProxy? {
        guard configuration.runtime == .cri else {
            logger.info("services are not proxied on this node: the process runtime runs pods in the host's network")
            return nil
        }
        return ServiceProxy(
            catalog: catalog,
            configuration: .init(
                nodeName: configuration.nodeName, podInterface: configuration.runtimeEndpoint == nil ? configuration.bridge : nil,
                clusterNetwork: configuration.network),
            logger: logger)
    }

    /// The node's cluster DNS server, answering on the cluster DNS address for the node's pods;
    /// nil with the process runtime, whose pods resolve names as the host does.
    private func clusterDNS(_ catalog: ServiceCatalog) -> ClusterDNSService? {
        guard configuration.runtime == .cri else { return nil }
        return ClusterDNSService(
            services: catalog.services, endpointSlices: catalog.endpointSlices,
            configuration: .init(network: configuration.network), logger: logger)
    }

    /// The Node this agent registers: the host's capacity and facts, the runtime's version.
    private func describe(_ runtime: any ContainerRuntime, podSubnet: IPv4Subnet?) async throws -> NodeDescription {
        let version = try await runtime.version()
        var annotations = [NodeAnnotations.runtime: configuration.runtime.rawValue]
        if let endpoint = configuration.endpoint { annotations[NodeAnnotations.agentCertificate] = endpoint.certificatePEM }
        return NodeDescription(
            name: configuration.nodeName, labels: configuration.labels, annotations: annotations,
            taints: configuration.taints, capacity: HostFacts.capacity(dataDirectory: configuration.dataDirectory, pods: configuration.maxPods),
            internalIP: configuration.nodeIP ?? HostFacts.internalIP(excluding: [configuration.bridge]), kernelVersion: HostFacts.kernelVersion,
            osImage: HostFacts.osImage, architecture: HostFacts.machine, containerRuntimeVersion: version.nodeInfo,
            agentVersion: FlotillaVersion.gitVersion,
            podCIDR: podSubnet?.description,
            endpointPort: configuration.endpoint?.port)
    }

    /// Registers the node, trying again while the API server cannot be reached.
    private func register(_ description: NodeDescription) async throws {
        let registrar = NodeRegistrar(client: client)
        var backoff = Backoff.apiRetry
        while true {
            do {
                try await registrar.register(description)
                return
            } catch let error as FlotillaError where error.code == .serviceUnavailable || error.code == .timeout {
                let delay = backoff.next()
                logger.warning("cannot register the node; trying again", metadata: ["error": .string(error.message), "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}
