import FlotillaClient
import FlotillaCore
import Logging
import ServiceLifecycle

/// Runs Flotilla's controllers inside `flotilla server`, as kube-controller-manager does: one
/// informer per kind, shared by every controller that reads it, then each controller's workers,
/// until graceful shutdown.
///
/// Controllers: ``ReplicaSetController``, ``DeploymentController``, ``DaemonSetController``,
/// ``StatefulSetController``, ``NodeLifecycleController``, ``DisruptionController``,
/// ``HorizontalPodAutoscalerController``, ``JobController``, ``CronJobController``,
/// ``EndpointsController``, ``EndpointSliceController``, ``ResourceQuotaController``,
/// ``ServiceAccountsController``, ``RootCAPublisher`` (given the cluster CA) and the
/// ``GarbageCollector``.
public final class ControllerManager: Service, Sendable {
    /// The user the controllers act as.
    public static let user = "system:kube-controller-manager"
    /// The kinds the controllers and the garbage collector follow.
    static let kinds: [ResourceRef] = [
        .pods, .replicaSets, .deployments, .daemonSets, .statefulSets, .controllerRevisions, .jobs, .cronJobs, .services, .endpoints, .endpointSlices,
    ]

    private let client: KubernetesClient
    private let logger: Logger
    private let workers: Int
    private let nodeMonitorGracePeriod: Duration
    private let autoscalerSyncPeriod: Duration
    private let quotaResyncPeriod: Duration
    private let rootCertificatePEM: String?

    /// - Parameters:
    ///   - workers: workers per controller.
    ///   - nodeMonitorGracePeriod: how long a node may go without renewing its lease before it
    ///     is considered lost.
    ///   - autoscalerSyncPeriod: how often horizontal pod autoscalers look at their metrics.
    ///   - quotaResyncPeriod: how often every resource quota's usage is recalculated in full.
    ///   - rootCertificatePEM: the cluster CA, published in every namespace as `kube-root-ca.crt`
    ///     (not published without it).
    public init(
        client: KubernetesClient, workers: Int = 8, nodeMonitorGracePeriod: Duration = .seconds(40),
        autoscalerSyncPeriod: Duration = .seconds(15), quotaResyncPeriod: Duration = .seconds(300),
        rootCertificatePEM: String? = nil, logger: Logger = Logger(label: "flotilla.controllers")
    ) {
        self.rootCertificatePEM = rootCertificatePEM
        self.client = client
        self.workers = workers
        self.nodeMonitorGracePeriod = nodeMonitorGracePeriod
        self.autoscalerSyncPeriod = autoscalerSyncPeriod
        self.quotaResyncPeriod = quotaResyncPeriod
        self.logger = logger
    }

    public func run() async throws {
        let informers = Dictionary(uniqueKeysWithValues: Self.kinds.map { ($0, Informer(client: client, resource: $0, logger: logger)) })
        informers[.pods]!.cache.summarize(with: PodFacts.summary(interningIn: LabelSets()))
        ControllerIndexes.register(on: informers[.pods]!)
        ControllerIndexes.register(on: informers[.replicaSets]!)
        ControllerIndexes.register(on: informers[.controllerRevisions]!)
        let events = EventRecorder(client: client, component: "controllermanager", instance: "flotilla", capacity: 10_000, logger: logger)
        let replicaSets = ReplicaSetController(client: client, replicaSets: informers[.replicaSets]!, pods: informers[.pods]!, events: events, logger: logger)
        let deployments = DeploymentController(
            client: client, deployments: informers[.deployments]!, replicaSets: informers[.replicaSets]!, pods: informers[.pods]!,
            events: events, logger: logger)
        let nodes = Informer(client: client, resource: .nodes, logger: logger)
        nodes.cache.summarize(with: NodeHealth.summarize)
        let daemonSets = DaemonSetController(
            client: client, daemonSets: informers[.daemonSets]!, pods: informers[.pods]!, revisions: informers[.controllerRevisions]!, nodes: nodes,
            events: events, logger: logger)
        let statefulSets = StatefulSetController(
            client: client, statefulSets: informers[.statefulSets]!, pods: informers[.pods]!, revisions: informers[.controllerRevisions]!,
            events: events, logger: logger)
        let leases = Informer(client: client, resource: .leases, namespace: "kube-node-lease", logger: logger)
        leases.cache.summarize(with: LeaseRenewal.summarize)
        let lifecycle = NodeLifecycleController(
            client: client, nodes: nodes, leases: leases, pods: informers[.pods]!, events: events, gracePeriod: nodeMonitorGracePeriod, logger: logger)
        let budgets = Informer(client: client, resource: .podDisruptionBudgets, logger: logger)
        let disruption = DisruptionController(
            client: client, budgets: budgets, pods: informers[.pods]!, replicaSets: informers[.replicaSets]!,
            statefulSets: informers[.statefulSets]!, logger: logger)
        let hpas = Informer(client: client, resource: HorizontalPodAutoscalerController.autoscalersResource, logger: logger)
        let autoscaler = HorizontalPodAutoscalerController(
            client: client, autoscalers: hpas, pods: informers[.pods]!, events: events, period: autoscalerSyncPeriod, logger: logger)
        let jobs = JobController(client: client, jobs: informers[.jobs]!, pods: informers[.pods]!, events: events, logger: logger)
        let cronJobs = CronJobController(client: client, cronJobs: informers[.cronJobs]!, jobs: informers[.jobs]!, events: events, logger: logger)
        let endpoints = EndpointsController(
            client: client, services: informers[.services]!, pods: informers[.pods]!, endpoints: informers[.endpoints]!, logger: logger)
        let endpointSlices = EndpointSliceController(
            client: client, services: informers[.services]!, pods: informers[.pods]!, slices: informers[.endpointSlices]!, nodes: nodes,
            logger: logger)
        let collector = GarbageCollector(client: client, informers: informers, logger: logger)
        let configMaps = Informer(client: client, resource: .configMaps, logger: logger)
        let quotaInformers = [configMaps] + [ResourceRef.secrets, .persistentVolumeClaims].map { Informer(client: client, resource: $0, logger: logger) }
        let quotaObjects = Informer(client: client, resource: ResourceQuotaController.resource, logger: logger)
        let quotas = ResourceQuotaController(
            client: client, quotas: quotaObjects, informers: Array(informers.values) + quotaInformers, resyncPeriod: quotaResyncPeriod, logger: logger)
        let namespaces = Informer(client: client, resource: .namespaces, logger: logger)
        let serviceAccountObjects = Informer(client: client, resource: .serviceAccounts, logger: logger)
        let serviceAccounts = ServiceAccountsController(
            client: client, namespaces: namespaces, serviceAccounts: serviceAccountObjects, logger: logger)
        let rootCA = rootCertificatePEM.map {
            RootCAPublisher(client: client, namespaces: namespaces, configMaps: configMaps, certificatePEM: $0, logger: logger)
        }
        let allInformers = Array(informers.values) + [nodes, leases, budgets, hpas, quotaObjects, namespaces, serviceAccountObjects] + quotaInformers
        let workers = self.workers
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for informer in allInformers {
                    group.addTask { try? await informer.run() }
                }
                group.addTask {
                    await withTaskCancellationHandler { await events.run() } onCancel: { events.close() }
                }
                group.addTask {
                    for informer in allInformers { try? await informer.waitForSync() }
                    await withTaskGroup(of: Void.self) { controllers in
                        controllers.addTask { await replicaSets.run(workers: workers) }
                        controllers.addTask { await deployments.run(workers: workers) }
                        controllers.addTask { await daemonSets.run(workers: workers) }
                        controllers.addTask { await statefulSets.run(workers: workers) }
                        controllers.addTask { await collector.run(workers: workers) }
                        controllers.addTask { await lifecycle.run() }
                        controllers.addTask { await disruption.run(workers: workers) }
                        controllers.addTask { await autoscaler.run() }
                        controllers.addTask { await jobs.run(workers: workers) }
                        controllers.addTask { await cronJobs.run(workers: workers) }
                        controllers.addTask { await endpoints.run(workers: workers) }
                        controllers.addTask { await endpointSlices.run(workers: workers) }
                        controllers.addTask { await quotas.run(workers: workers) }
                        controllers.addTask { await serviceAccounts.run(workers: 1) }
                        if let rootCA { controllers.addTask { await rootCA.run(workers: 1) } }
                    }
                }
            }
        }
        logger.info("controllers stopped")
    }
}
