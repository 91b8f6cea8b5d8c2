import ArgumentParser
import FlotillaAPI
import FlotillaAPIServer
import FlotillaAgent
import FlotillaClient
import FlotillaControllers
import FlotillaCore
import FlotillaScheduler
import FlotillaStore
import Logging
import ServiceLifecycle

/// `flotilla server`: the API server over an embedded SQLite store or an etcd cluster, on HTTPS
/// with the cluster's own CA, the scheduler, and an agent for its own node. Every flag may also
/// come from `FLOTILLA_<FLAG>`.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the API server, the scheduler and an agent for this node."
    )

    @Option(help: "Where state, certificates and the admin kubeconfig live (default /var/lib/flotilla, or ~/.flotilla when not root; env FLOTILLA_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Address and port to serve on; port 0 picks a free one (default 127.0.0.1:6443; env FLOTILLA_LISTEN).")
    var listen: String?

    @Option(help: "sqlite (embedded, <data-dir>/state.db) or etcd (default sqlite; env FLOTILLA_STORE).")
    var store: String?

    @Option(help: "Comma-separated etcd client URLs for --store etcd (default http://127.0.0.1:2379; env FLOTILLA_ETCD_ENDPOINTS).")
    var etcdEndpoints: String?

    @Option(help: "CSV file of static bearer tokens: token,user,uid,\"group1,group2\" (env FLOTILLA_TOKEN_AUTH_FILE).")
    var tokenAuthFile: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info; env FLOTILLA_LOG_LEVEL).")
    var logLevel: String?

    @Flag(help: "Do not run the scheduler; pods stay pending unless another scheduler binds them (env FLOTILLA_DISABLE_SCHEDULER=true).")
    var disableScheduler = false

    @Flag(help: "Do not run the controllers (replica sets, deployments, garbage collection); env FLOTILLA_DISABLE_CONTROLLERS=true.")
    var disableControllers = false

    @Option(help: "Seconds a node may go without renewing its lease before it is NotReady and tainted unreachable (default 40; env FLOTILLA_NODE_MONITOR_GRACE_PERIOD).")
    var nodeMonitorGracePeriod: Int?

    @Option(help: "Seconds between horizontal pod autoscaler syncs (default 15; env FLOTILLA_HORIZONTAL_POD_AUTOSCALER_SYNC_PERIOD).")
    var horizontalPodAutoscalerSyncPeriod: Int?

    @Option(help: "tolerationSeconds of the not-ready toleration every pod gets (default 300; env FLOTILLA_DEFAULT_NOT_READY_TOLERATION_SECONDS).")
    var defaultNotReadyTolerationSeconds: Int?

    @Option(help: "tolerationSeconds of the unreachable toleration every pod gets (default 300; env FLOTILLA_DEFAULT_UNREACHABLE_TOLERATION_SECONDS).")
    var defaultUnreachableTolerationSeconds: Int?

    @Flag(help: "Do not run an agent for this node; pods run only on nodes of separate agents (env FLOTILLA_DISABLE_AGENT=true).")
    var disableAgent = false

    @Option(help: "The name of this node for the embedded agent (default: the host name; env FLOTILLA_NODE_NAME).")
    var nodeName: String?

    @Option(help: "The embedded agent's pod subnet, a /24 of the cluster CIDR (default: the one the server assigns its node; env FLOTILLA_POD_CIDR).")
    var podCidr: String?

    @Option(help: "The host bridge the embedded agent wires pods to, at most 15 characters (default flotilla0; env FLOTILLA_BRIDGE).")
    var bridge: String?

    @Option(help: "The service network cluster IPs come from, an IPv4 CIDR of /12 to /28; its first address is the kubernetes service's, its tenth the cluster DNS's (default 10.96.0.0/12; env FLOTILLA_SERVICE_CLUSTER_IP_RANGE).")
    var serviceClusterIpRange: String?

    @Option(help: "The ports node ports come from, A-B (default 30000-32767; env FLOTILLA_SERVICE_NODE_PORT_RANGE).")
    var serviceNodePortRange: String?

    @Option(help: "The pod network nodes get their /24 pod subnets from, an IPv4 CIDR of /8 to /24 (default 10.244.0.0/16; env FLOTILLA_CLUSTER_CIDR).")
    var clusterCidr: String?

    @Option(
        name: .customLong("scheduler-profile"),
        help: "NAME=LeastAllocated|MostAllocated: also schedule pods whose schedulerName is NAME, spreading or packing them; repeatable (built in: default-scheduler=LeastAllocated, binpack-scheduler=MostAllocated; env FLOTILLA_SCHEDULER_PROFILE, comma-separated).")
    var schedulerProfiles: [String] = []

    @Option(help: "Percentage of nodes (1-100) a scheduling cycle looks for feasible nodes in before scoring; 0 adapts it to the cluster size (default 0; env FLOTILLA_PERCENTAGE_OF_NODES_TO_SCORE).")
    var percentageOfNodesToScore: Int?

    /// The flag values after the environment and defaults are applied.
    private struct Settings {
        var level: Logger.Level
        var address: ListenAddress
        var storeKind: String
        /// The scheduler's profiles; nil when the scheduler is disabled.
        var profiles: [SchedulingProfile]?
        /// The embedded agent's node; nil when the agent is disabled.
        var agent: NodeAgent.Configuration?
        var nodeMonitorGracePeriod: Int
        var autoscalerSyncPeriod: Int
        var tolerations: DefaultTolerations
        var network: ClusterNetwork
    }

    /// The cluster's address plan from `--service-cluster-ip-range`, `--service-node-port-range`
    /// and `--cluster-cidr`.
    private func network() throws -> ClusterNetwork {
        let standard = ClusterNetwork.standard
        let serviceText = EnvironmentDefaults.value(serviceClusterIpRange, flag: "service-cluster-ip-range") ?? standard.serviceNetwork.description
        guard let services = IPv4Subnet(serviceText), (12...28).contains(services.prefixLength) else {
            throw ValidationError("--service-cluster-ip-range must be an IPv4 CIDR of /12 to /28 without host bits (e.g. 10.96.0.0/12); got \(serviceText)")
        }
        let portText = EnvironmentDefaults.value(serviceNodePortRange, flag: "service-node-port-range") ?? "\(standard.nodePorts.lowerBound)-\(standard.nodePorts.upperBound)"
        let bounds = portText.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard bounds.count == 2, let low = bounds[0], let high = bounds[1], 1 <= low, low <= high, high <= 65535 else {
            throw ValidationError("--service-node-port-range must be A-B with 1 <= A <= B <= 65535 (e.g. 30000-32767); got \(portText)")
        }
        let podText = EnvironmentDefaults.value(clusterCidr, flag: "cluster-cidr") ?? standard.podNetwork.description
        guard let pods = IPv4Subnet(podText), (8...standard.nodePrefixLength).contains(pods.prefixLength) else {
            throw ValidationError("--cluster-cidr must be an IPv4 CIDR of /8 to /\(standard.nodePrefixLength) without host bits (e.g. 10.244.0.0/16); got \(podText)")
        }
        guard !pods.overlaps(services) else {
            throw ValidationError("--cluster-cidr \(pods) and --service-cluster-ip-range \(services) must not overlap")
        }
        return ClusterNetwork(
            podNetwork: pods, nodePrefixLength: standard.nodePrefixLength, serviceNetwork: services, nodePorts: low...high,
            dnsAddress: services.address(at: 10), domain: standard.domain)
    }

    /// A whole number of seconds from a flag or its environment variable, at least `minimum`.
    private func seconds(_ value: Int?, flag: String, default fallback: Int, minimum: Int) throws -> Int {
        let text = EnvironmentDefaults.value(value.map(String.init), flag: flag) ?? String(fallback)
        guard let seconds = Int(text), seconds >= minimum else {
            throw ValidationError("--\(flag) must be a whole number of seconds, at least \(minimum); got \(text)")
        }
        return seconds
    }

    private func settings() throws -> Settings {
        let level = try EnvironmentDefaults.logLevel(logLevel)
        let listenText = EnvironmentDefaults.value(listen, flag: "listen") ?? "127.0.0.1:6443"
        guard let address = ListenAddress(listenText) else {
            throw ValidationError("--listen must be ADDR:PORT (e.g. 127.0.0.1:6443 or [::1]:6443); got \(listenText)")
        }
        let storeKind = EnvironmentDefaults.value(store, flag: "store") ?? "sqlite"
        guard storeKind == "sqlite" || storeKind == "etcd" else {
            throw ValidationError("--store must be sqlite or etcd; got \(storeKind)")
        }
        let disabled = disableScheduler || EnvironmentDefaults.flag(flag: "disable-scheduler")
        let network = try network()
        var agent: NodeAgent.Configuration?
        if !(disableAgent || EnvironmentDefaults.flag(flag: "disable-agent")) {
            agent = NodeAgent.Configuration(
                nodeName: EnvironmentDefaults.value(nodeName, flag: "node-name") ?? NodeFlags.hostNodeName(),
                dataDirectory: EnvironmentDefaults.dataDirectory(dataDir) + "/agent",
                podSubnet: try EnvironmentDefaults.value(podCidr, flag: "pod-cidr").map(NodeFlags.podSubnet),
                network: network, bridge: try NodeFlags.bridge(EnvironmentDefaults.value(bridge, flag: "bridge") ?? "flotilla0"))
        }
        let tolerations = DefaultTolerations(
            notReadySeconds: Int64(try seconds(defaultNotReadyTolerationSeconds, flag: "default-not-ready-toleration-seconds", default: 300, minimum: 0)),
            unreachableSeconds: Int64(try seconds(defaultUnreachableTolerationSeconds, flag: "default-unreachable-toleration-seconds", default: 300, minimum: 0)))
        return Settings(
            level: level, address: address, storeKind: storeKind, profiles: disabled ? nil : try profiles(), agent: agent,
            nodeMonitorGracePeriod: try seconds(nodeMonitorGracePeriod, flag: "node-monitor-grace-period", default: 40, minimum: 1),
            autoscalerSyncPeriod: try seconds(horizontalPodAutoscalerSyncPeriod, flag: "horizontal-pod-autoscaler-sync-period", default: 15, minimum: 1),
            tolerations: tolerations, network: network)
    }

    /// The built-in profiles, overridden or extended by `--scheduler-profile`.
    private func profiles() throws -> [SchedulingProfile] {
        let percentageText = EnvironmentDefaults.value(percentageOfNodesToScore.map(String.init), flag: "percentage-of-nodes-to-score") ?? "0"
        guard let percentage = Int(percentageText), (0...100).contains(percentage) else {
            throw ValidationError("--percentage-of-nodes-to-score must be 0 to 100; got \(percentageText)")
        }
        var given = schedulerProfiles
        if given.isEmpty, let text = EnvironmentDefaults.value(nil, flag: "scheduler-profile") {
            given = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        var profiles = [SchedulingProfile.spread, SchedulingProfile.binpack]
        for text in given {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let strategies = ["leastallocated": ScoringStrategy.leastAllocated, "spread": .leastAllocated, "mostallocated": .mostAllocated, "binpack": .mostAllocated]
            guard parts.count == 2, !parts[0].isEmpty, let strategy = strategies[parts[1].lowercased()] else {
                throw ValidationError("--scheduler-profile must be NAME=LeastAllocated or NAME=MostAllocated; got \(text)")
            }
            profiles.removeAll { $0.schedulerName == parts[0] }
            profiles.append(SchedulingProfile(schedulerName: parts[0], scoring: strategy))
        }
        return profiles.map { profile in
            var profile = profile
            profile.percentageOfNodesToScore = percentage
            return profile
        }
    }

    func validate() throws {
        _ = try settings()
    }

    func run() async throws {
        let settings = try settings()
        let level = settings.level
        let address = settings.address
        let storeKind = settings.storeKind
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let logger = Logger(label: "flotilla.server")
        let dataDirectory = EnvironmentDefaults.dataDirectory(dataDir)

        try SecureFile.makeDirectory(dataDirectory)
        var tokenFile: StaticTokenFile?
        if let path = EnvironmentDefaults.value(tokenAuthFile, flag: "token-auth-file") {
            tokenFile = try StaticTokenFile(path: path)
        }
        let extraIPs = HostIdentity.addressBytes(address.host).map { [$0] } ?? []
        let pki = try ClusterPKI.loadOrCreate(directory: dataDirectory + "/pki", names: ClusterPKI.requiredNames(extraIPs: extraIPs, network: settings.network))
        let adminToken = try AdminCredentials.loadOrCreateToken(dataDirectory: dataDirectory)
        let kubeconfigPath = dataDirectory + "/" + AdminCredentials.kubeconfigFileName
        @Sendable func writeKubeconfig(port: Int) throws {
            let server = Kubeconfig.serverURL(host: address.host, port: port)
            _ = try AdminCredentials.writeKubeconfig(
                dataDirectory: dataDirectory,
                kubeconfig: Kubeconfig(server: server, caCertificatePEM: pki.caCertificatePEM, token: adminToken))
        }
        if address.port != 0 { try writeKubeconfig(port: address.port) }

        let metrics = APIMetrics()
        let baseStore: any Store
        switch storeKind {
        case "etcd":
            let endpoints = (EnvironmentDefaults.value(etcdEndpoints, flag: "etcd-endpoints") ?? "http://127.0.0.1:2379")
                .split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            baseStore = try await EtcdStore(endpoints: endpoints)
        default:
            baseStore = try SQLiteStore(path: dataDirectory + "/state.db")
        }
        let store = InstrumentedStore(baseStore, metrics: metrics)
        let apiServer = APIServer(
            store: store, defaultTolerations: settings.tolerations, network: settings.network, logger: Logger(label: "flotilla.apiserver"))
        apiServer.nodes.useClientCertificate(certificatePEM: pki.agentClientCertificatePEM, keyPEM: pki.agentClientKeyPEM)
        let scheduler = settings.profiles.map { profiles in
            Scheduler(
                client: KubernetesClient(transport: InProcessTransport(handler: apiServer, user: Scheduler.user)),
                configuration: SchedulerConfiguration(
                    profiles: profiles,
                    reportingInstance: "\(SchedulingProfile.defaultSchedulerName)-\(HostIdentity.hostname() ?? "flotilla")"),
                logger: Logger(label: "flotilla.scheduler"))
        }

        let authenticator = TokenAuthenticator(adminToken: adminToken, tokenFile: tokenFile, serviceAccounts: apiServer.serviceAccountTokens)
        apiServer.reviewTokens(with: authenticator)
        let responder = APIResponder(
            handler: ExplainRoute(scheduler: scheduler, next: apiServer), authenticator: authenticator,
            metrics: metrics, logger: Logger(label: "flotilla.http"))
        let fixedPort = address.port
        let host = address.host
        let http = APIHTTPServer(
            configuration: .init(host: host, port: fixedPort, tls: try pki.tlsConfiguration()),
            responder: responder, logger: Logger(label: "flotilla.http")
        ) { port in
            // Connections are accepted once this returns: first let the system namespaces exist.
            await apiServer.ready()
            await apiServer.publishAPIEndpoint(host: host, port: port)
            do {
                if fixedPort == 0 { try writeKubeconfig(port: port) }
                logger.info("flotilla server ready", metadata: [
                    "url": .string(Kubeconfig.serverURL(host: host, port: port)), "kubeconfig": .string(kubeconfigPath),
                    "store": .string(storeKind), "version": .string(FlotillaVersion.version),
                ])
            } catch {
                logger.error("cannot write the admin kubeconfig", metadata: ["path": .string(kubeconfigPath), "error": .string("\(error)")])
            }
        }

        // Graceful shutdown runs in reverse order: HTTP first, the store last.
        var services: [any Service] = [StoreLifetime(store: store), APIServerLifetime(server: apiServer)]
        services += BackgroundServices.make(store: store, apiServer: apiServer)
        if let scheduler { services.append(scheduler) }
        if !(disableControllers || EnvironmentDefaults.flag(flag: "disable-controllers")) {
            services.append(ControllerManager(
                client: KubernetesClient(transport: InProcessTransport(handler: apiServer, user: ControllerManager.user)),
                nodeMonitorGracePeriod: .seconds(settings.nodeMonitorGracePeriod),
                autoscalerSyncPeriod: .seconds(settings.autoscalerSyncPeriod), rootCertificatePEM: pki.caCertificatePEM,
                logger: Logger(label: "flotilla.controllers")))
        }
        var configurations = services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        if let agent = settings.agent {
            let node = NodeAgent(
                client: KubernetesClient(transport: InProcessTransport(handler: apiServer, user: "system:node:\(agent.nodeName)")),
                configuration: agent,
                logger: Logger(label: "flotilla.agent"),
                onServing: { [nodes = apiServer.nodes] endpoints in nodes.register(node: agent.nodeName, handler: endpoints) })
            configurations.append(EmbeddedAgent.configuration(node, logger: logger))
        }
        configurations.append(.init(service: http))
        let group = ServiceGroup(configuration: .init(
            services: configurations,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("flotilla server stopped")
    }
}
