import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Hollow nodes, as kubemark and KWOK make them: `count` Nodes registered with the API server
/// that keep their leases and report every pod bound to them Running at once, running nothing.
/// One process carries thousands, so the scheduler and controllers can be exercised at scale.
///
/// A pod being deleted (its deletionTimestamp set) is removed at once, as a kubelet does once
/// the containers are gone.
public final class SimulatedNodes: Service, Sendable {
    /// How the hollow nodes look.
    public struct Configuration: Sendable {
        /// Nodes are named `<namePrefix>-0` … `<namePrefix>-<count-1>`.
        public var namePrefix: String
        public var count: Int
        public var capacity: NodeCapacity
        /// Labels every hollow node gets, besides the well-known ones.
        public var labels: [String: String]
        /// When above 0, node `i` gets `topology.kubernetes.io/zone=zone-<i % zones>`.
        public var zones: Int
        public var taints: [JSON]
        public var leaseInterval: Duration
        /// Concurrent status updates and deletions of pods. By default one per 8 nodes, from 32 to
        /// 128 (the connections the agent keeps to the server): hollow nodes stand for kubelets
        /// that each report on their own, so the reports should not queue behind a few workers.
        public var workers: Int

        public init(
            namePrefix: String = "sim", count: Int, capacity: NodeCapacity = NodeCapacity(cpu: "32", memory: "128Gi"),
            labels: [String: String] = [:], zones: Int = 0, taints: [JSON] = [], leaseInterval: Duration = .seconds(10), workers: Int? = nil
        ) {
            self.namePrefix = namePrefix
            self.count = count
            self.capacity = capacity
            self.labels = labels
            self.zones = zones
            self.taints = taints
            self.leaseInterval = leaseInterval
            self.workers = workers ?? max(32, min(count / 8, 128))
        }

        /// The name of hollow node `index`.
        public func nodeName(_ index: Int) -> String { "\(namePrefix)-\(index)" }
    }

    public let configuration: Configuration
    private let client: KubernetesClient
    private let logger: Logger
    /// Node name → its index, for the nodes this process carries.
    private let indexByName: [String: Int]
    private let pods: Informer
    private let queue = WorkQueue<String>()
    private let podSerial = Atomic<Int>(0)

    public init(client: KubernetesClient, configuration: Configuration, logger: Logger = Logger(label: "flotilla.agent.simulated")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.indexByName = Dictionary(uniqueKeysWithValues: (0..<configuration.count).map { (configuration.nodeName($0), $0) })
        self.pods = Informer(client: client, resource: .pods, fieldSelector: "spec.nodeName!=", logger: logger)
    }

    /// The Node this process registers as hollow node `index`.
    public func description(of index: Int) -> NodeDescription {
        var labels = configuration.labels
        if configuration.zones > 0 { labels["topology.kubernetes.io/zone"] = "zone-\(index % configuration.zones)" }
        return NodeDescription(
            name: configuration.nodeName(index), labels: labels, annotations: [NodeAnnotations.runtime: "simulated"],
            taints: configuration.taints, capacity: configuration.capacity, internalIP: SimulatedAddresses.node(index),
            kernelVersion: "simulated", osImage: "Flotilla simulated node", architecture: HostFacts.machine,
            containerRuntimeVersion: "simulated://\(FlotillaVersion.version)", agentVersion: FlotillaVersion.gitVersion)
    }

    public func run() async throws {
        try await registerAll()
        logger.info("hollow nodes registered", metadata: ["count": "\(configuration.count)", "prefix": .string(configuration.namePrefix)])
        let names = (0..<configuration.count).map(configuration.nodeName)
        let leases = NodeLeaseRenewer(client: client, nodes: names, interval: configuration.leaseInterval, logger: logger)
        pods.onAdd { [weak self] pod in self?.consider(pod) }
        pods.onUpdate { [weak self] _, pod in self?.consider(pod) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await leases.run() }
            group.addTask { [pods] in try? await pods.run() }
            group.addTask { [self] in
                await queue.runWorkers(configuration.workers) { key in try await self.reconcile(key) }
            }
            await withGracefulShutdownHandler {
                await group.next()
            } onGracefulShutdown: { [queue] in
                queue.shutdown()
            }
            group.cancelAll()
        }
    }

    /// Registers every hollow node, many at once.
    private func registerAll() async throws {
        let registrar = NodeRegistrar(client: client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<configuration.count {
                if index >= 64 { try await group.next() }
                group.addTask { try await registrar.register(self.description(of: index)) }
            }
            try await group.waitForAll()
        }
    }

    /// Queues a pod bound to one of these nodes when it needs a status or is being deleted.
    private func consider(_ pod: JSON) {
        guard let node = pod["spec"]["nodeName"].string, indexByName[node] != nil else { return }
        let deleting = !pod[path: ["metadata", "deletionTimestamp"]].isNull
        let phase = pod["status"]["phase"].string ?? ""
        if deleting || (phase != "Running" && phase != "Succeeded" && phase != "Failed") {
            queue.add(ObjectCache.key(for: pod))
        }
    }

    /// Brings one pod to what a hollow node reports: gone if being deleted, else Running.
    private func reconcile(_ key: String) async throws {
        guard let pod = pods.cache.get(key: key), let node = pod["spec"]["nodeName"].string,
            let index = indexByName[node]
        else { return }
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        let name = pod[path: ["metadata", "name"]].string ?? ""
        let uid = pod[path: ["metadata", "uid"]].string
        do {
            if !pod[path: ["metadata", "deletionTimestamp"]].isNull {
                try await client.delete(
                    .pods, namespace: namespace, name: name, gracePeriodSeconds: 0, preconditions: Preconditions(uid: uid),
                    decodingReply: false)
                return
            }
            let serial = podSerial.add(1, ordering: .relaxed).newValue
            let status = SimulatedPodStatus.running(
                pod, hostIP: SimulatedAddresses.node(index), podIP: SimulatedAddresses.pod(serial), now: Timestamp.now())
            try await client.patch(
                .pods, namespace: namespace, name: name, ["status": status], type: .merge, subresource: "status", decodingReply: false)
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            // Gone, or replaced by a pod of the same name: the informer brings the new state.
        }
    }
}
