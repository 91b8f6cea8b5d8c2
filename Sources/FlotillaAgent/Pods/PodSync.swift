import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps every pod bound to the node in step with the container runtime, as a kubelet's sync
/// loop does: one ``PodWorker`` per pod (by uid) moves it toward its spec, and the pod's status
/// is written back when it changed.
///
/// Work is queued by pod uid from three sources: the pod informer (a pod added, changed or
/// deleted), a relist of the runtime every ``Configuration/relistInterval`` (a container that
/// exited or a sandbox that died, as kubelet's PLEG finds them), and back-off waits
/// (a crash-looping container's next start). Sandboxes of pods the API no longer has are torn
/// down. A pod being deleted is removed from the API once nothing of it is left on the node.
/// Containers' lifecycle hooks run beside the workers (``LifecycleHookRunner``); the end of one
/// queues its pod. What goes wrong with a pod's volumes and hooks is told in Events, as a
/// kubelet's (`FailedMount`, `FailedPostStartHook`, `FailedPreStopHook`).
public final class PodSync: Service, Sendable {
    /// Where the node's pods go and how often the runtime is looked at.
    public struct Configuration: Sendable {
        public var nodeName: String
        /// The node's address, the pods' `hostIP`.
        public var hostIP: String
        public var worker: PodWorker.Options
        /// How often the runtime's containers are listed for changes.
        public var relistInterval: Duration
        /// How often every pod is synced although nothing was seen to change.
        public var resyncInterval: Duration
        /// How soon a pod whose container waits for a missing ConfigMap or Secret is looked at again
        /// (soon: a new namespace's service account and CA ConfigMap come a moment after it).
        public var configurationRetryInterval: Duration = .seconds(1)
        /// Pods synced at once.
        public var workers: Int
        /// The runtime's name in container ids (`containerd://…`).
        public var runtimeName: String
        /// How pods' resolv.conf is made; nil leaves it to the runtime.
        public var dns: PodDNS?

        public init(
            nodeName: String, hostIP: String, worker: PodWorker.Options, relistInterval: Duration = .seconds(1),
            resyncInterval: Duration = .seconds(10), workers: Int = 8, runtimeName: String = "containerd", dns: PodDNS? = nil
        ) {
            self.dns = dns
            self.nodeName = nodeName
            self.hostIP = hostIP
            self.worker = worker
            self.relistInterval = relistInterval
            self.resyncInterval = resyncInterval
            self.workers = workers
            self.runtimeName = runtimeName
        }
    }

    public let configuration: Configuration
    private let client: KubernetesClient
    private let runtime: any ContainerRuntime
    private let logger: Logger
    private let pods: Informer
    private let queue = WorkQueue<String>(retryBackoff: Backoff(initial: .milliseconds(200), maximum: .seconds(30)))
    private let workers: PodWorkers
    private let probes: ProbeManager
    private let hooks: LifecycleHookRunner
    private let events: EventRecorder
    private let services: ServiceCatalog?
    private let volumes: LocalVolumeProvisioner?
    private let tokens: ServiceAccountTokenSource
    private static let uidIndex = "uid"

    /// - Parameters:
    ///   - services: the cluster's services, for the containers' service environment variables
    ///     (none without it); run by the caller.
    ///   - volumes: provisions local volumes for the pods' unbound claims (none without it).
    public init(
        client: KubernetesClient, runtime: any ContainerRuntime, configuration: Configuration, services: ServiceCatalog? = nil,
        volumes: LocalVolumeProvisioner? = nil, logger: Logger = Logger(label: "flotilla.agent.pods")
    ) {
        self.client = client
        self.services = services
        self.volumes = volumes
        self.tokens = ServiceAccountTokenSource(client: client)
        self.runtime = runtime
        self.configuration = configuration
        self.logger = logger
        self.events = EventRecorder(
            client: client, component: "kubelet", instance: configuration.nodeName, host: configuration.nodeName, capacity: 1000, logger: logger)
        self.hooks = LifecycleHookRunner(runtime: runtime, events: events, logger: logger) { [queue] uid in queue.add(uid) }
        self.workers = PodWorkers(runtime: runtime, options: configuration.worker, hooks: hooks, events: events, logger: logger)
        self.probes = ProbeManager(runtime: runtime, hooks: hooks, logger: logger) { [queue] uid in queue.add(uid) }
        self.pods = Informer(client: client, resource: .pods, fieldSelector: "spec.nodeName=\(configuration.nodeName)", logger: logger)
        pods.cache.addIndexer(Self.uidIndex) { pod in pod[path: ["metadata", "uid"]].string.map { [$0] } ?? [] }
    }

    public func run() async throws {
        pods.onAdd { [queue] pod in Self.enqueue(pod, queue) }
        pods.onUpdate { [queue] _, pod in Self.enqueue(pod, queue) }
        pods.onDelete { [queue] pod in Self.enqueue(pod, queue) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [pods] in try? await pods.run() }
            group.addTask { [events] in await events.run() }
            group.addTask { [self] in await relistLoop() }
            group.addTask { [self] in await resyncLoop() }
            group.addTask { [self] in
                await queue.runWorkers(configuration.workers) { uid in
                    do {
                        try await self.sync(uid)
                    } catch {
                        self.logger.warning("cannot sync pod; trying again", metadata: ["uid": .string(uid), "error": "\(error)"])
                        throw error
                    }
                }
            }
            await withGracefulShutdownHandler {
                await group.next()
            } onGracefulShutdown: { [queue, events] in
                queue.shutdown()
                events.close()
            }
            group.cancelAll()
        }
    }

    private static func enqueue(_ pod: JSON, _ queue: WorkQueue<String>) {
        if let uid = pod[path: ["metadata", "uid"]].string { queue.add(uid) }
    }

    // MARK: - Finding changes

    /// Lists the runtime's sandboxes and containers every relist interval and queues each pod
    /// whose sandboxes or containers changed state, or appeared or went.
    private func relistLoop() async {
        var before: [String: [String]] = [:]
        while !Task.isCancelled && !queue.isShuttingDown {
            do {
                let now = try await runtimeStates()
                for uid in Set(before.keys).union(now.keys) where before[uid] != now[uid] { queue.add(uid) }
                before = now
            } catch {
                logger.debug("cannot list the runtime's containers", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.relistInterval)
        }
    }

    /// Every pod's sandboxes and containers with their states, by pod uid.
    private func runtimeStates() async throws -> [String: [String]] {
        var states: [String: [String]] = [:]
        let mine = [PodLabels.node: configuration.nodeName]
        for sandbox in try await runtime.listSandboxes(labels: mine) {
            states[sandbox.podUID, default: []].append("\(sandbox.id)=\(sandbox.state)")
        }
        for container in try await runtime.listContainers(inSandbox: nil, labels: mine) {
            guard let uid = container.labels[PodLabels.podUID] else { continue }
            states[uid, default: []].append("\(container.id)=\(container.state)")
        }
        return states.mapValues { $0.sorted() }
    }

    /// Queues every pod now and then, for what no event or relist shows (a pull's back-off ending).
    private func resyncLoop() async {
        while !Task.isCancelled && !queue.isShuttingDown {
            try? await Task.sleep(for: configuration.resyncInterval)
            for pod in pods.cache.list() { Self.enqueue(pod, queue) }
        }
    }

    // MARK: - Syncing one pod

    /// Moves the pod with `uid` one sync toward its spec and writes its status; tears down a pod
    /// the API no longer has.
    private func sync(_ uid: String) async throws {
        guard let pod = pods.cache.byIndex(Self.uidIndex, uid).first else {
            guard pods.hasSynced else { return }
            try await tearDownRemoved(uid)
            return
        }
        let design: PodDesign
        do {
            let deleting = !pod[path: ["metadata", "deletionTimestamp"]].isNull
            var inputs = PodInputs(hostIP: configuration.hostIP)
            if !deleting {
                try await volumes?.provisionClaims(of: pod)
                inputs = try await PodInputs.fetch(for: pod, client: client, hostIP: configuration.hostIP, tokens: tokens)
                inputs.dns = configuration.dns
                inputs.services = try await services?.environmentServices(namespace: pod[path: ["metadata", "namespace"]].string ?? "default") ?? []
            }
            design = try PodDesign(pod: pod, inputs: inputs)
        } catch let error as FlotillaError where error.code != .badRequest {
            throw error
        } catch {
            logger.warning("cannot read pod", metadata: ["uid": .string(uid), "error": "\(error)"])
            return
        }
        let worker = await workers.worker(for: design)
        // A pod being torn down is probed no more: no exec into containers that are stopping.
        if design.deleting { await probes.forget(uid) }
        let step = try await worker.sync(design)
        let observed = await worker.observed
        await probes.update(design, observed: observed)
        if design.deleting, step == .idle {
            try await removeFromAPI(design)
            await forget(uid)
            return
        }
        if case .wait(let until, _) = step {
            queue.addAfter(uid, delay: .milliseconds(max(0, Int64(until.timeIntervalSinceNow * 1000)) + 10))
        } else if await worker.waitsForInputs || (design.initContainers + design.containers).contains(where: { $0.configurationError != nil }) {
            // Look again soon: the ConfigMap, Secret or PersistentVolumeClaim it waits for may be created.
            queue.addAfter(uid, delay: configuration.configurationRetryInterval)
        }
        var report = await worker.report(design, lastStep: step, hostIP: configuration.hostIP)
        report.runtimeName = configuration.runtimeName
        for instances in observed.instances.values {
            for instance in instances {
                if let results = await probes.results(of: instance.id) { report.probeResults[instance.id] = (results.ready, results.started) }
            }
        }
        try await writeStatus(report.status(previous: pod["status"], now: Date()), of: pod)
    }

    /// Forgets the worker, probes and hook runs of a pod that is gone.
    private func forget(_ uid: String) async {
        await workers.forget(uid)
        await probes.forget(uid)
        await hooks.forget(uid)
        tokens.forget(podUID: uid)
    }

    /// Patches the pod's status when any field the agent reports differs from what is stored.
    private func writeStatus(_ status: JSON, of pod: JSON) async throws {
        let stored = pod["status"]
        guard let fields = status.object, fields.contains(where: { stored[$0.key] != $0.value }) else { return }
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        let name = pod[path: ["metadata", "name"]].string ?? ""
        do {
            try await client.patch(
                .pods, namespace: namespace, name: name, ["status": status], type: .merge, subresource: "status", decodingReply: false)
        } catch let error as FlotillaError where error.code == .notFound {
            // Deleted meanwhile: the informer brings the deletion.
        }
    }

    /// Deletes a pod whose containers and sandbox are gone, as the last step of its graceful
    /// deletion; a pod of the same name created since is left alone.
    private func removeFromAPI(_ design: PodDesign) async throws {
        do {
            try await client.delete(
                .pods, namespace: design.namespace, name: design.name, gracePeriodSeconds: 0, preconditions: Preconditions(uid: design.uid),
                decodingReply: false)
            logger.debug("pod removed", metadata: ["pod": .string("\(design.namespace)/\(design.name)")])
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            // Already gone.
        }
    }

    /// Stops and removes what is left on the node of a pod the API no longer has.
    private func tearDownRemoved(_ uid: String) async throws {
        var design = await workers.lastDesign(uid)
        if design == nil {
            let sandboxes = try await runtime.listSandboxes(labels: [PodLabels.podUID: uid])
            let containers = try await runtime.listContainers(inSandbox: nil, labels: [PodLabels.podUID: uid])
            guard let sandbox = sandboxes.first else {
                for container in containers { try await runtime.removeContainer(container.id) }
                return
            }
            design = PodDesign(uid: uid, name: sandbox.podName, namespace: sandbox.podNamespace, containers: [])
        }
        guard var design else { return }
        design.deleting = true
        let worker = await workers.worker(for: design)
        let step = try await worker.sync(design)
        if case .wait(let until, _) = step {
            // A preStop hook runs: look again when its grace period is up, if it does not end before.
            queue.addAfter(uid, delay: .milliseconds(max(0, Int64(until.timeIntervalSinceNow * 1000)) + 10))
        }
        if step == .idle {
            await forget(uid)
            logger.info("removed the containers of a deleted pod", metadata: ["pod": .string("\(design.namespace)/\(design.name)"), "uid": .string(uid)])
        }
    }
}
