import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Logging
import ServiceLifecycle

/// The scheduler: binds every pending pod that names one of its profiles to a node.
///
/// It watches pods, nodes, namespaces, PriorityClasses, PodDisruptionBudgets, and persistent
/// volumes and their claims through informers and keeps a ``ClusterState`` from them. One loop takes pods from the
/// ``SchedulingQueue``, runs a cycle of the pod's ``SchedulingStack`` against the state, assumes
/// the pod on the chosen node and hands the binding (`POST pods/<name>/binding`) to a task, so
/// many bindings are in flight while the next cycle runs. A binding that fails is forgotten and
/// the pod retried after its back-off. A pod that fits nowhere gets a `PodScheduled=False`
/// condition (only when its message changed) and a `FailedScheduling` event, may preempt
/// lower-priority pods, and waits in the unschedulable set until the cluster changes.
///
/// ```swift
/// let client = KubernetesClient(transport: InProcessTransport(handler: apiServer, user: "system:kube-scheduler"))
/// let scheduler = Scheduler(client: client)
/// Task { try await scheduler.run() }      // or add it to a ServiceGroup
/// try await scheduler.waitUntilReady()
/// ```
public final class Scheduler: Service, Sendable, CustomStringConvertible {
    public let client: KubernetesClient
    public let configuration: SchedulerConfiguration
    /// The user the scheduler acts as on the API.
    public static let user = "system:kube-scheduler"

    private struct Core {
        let state = ClusterState()
        var random = SchedulingRandom()
    }

    private struct Priorities {
        var values: [String: Int32] = [:]
        /// The class with `globalDefault: true`, if any.
        var globalDefault: Int32?
    }

    private let logger: Logger
    private let queue: SchedulingQueue
    private let stacks: [String: SchedulingStack]
    private let core = Locked(Core())
    private let priorities = Locked(Priorities())
    private let counters = Locked(SchedulerStatistics())
    /// The last unschedulable message written to each pod's status.
    private let reported = Locked<[String: String]>([:])
    private let pods: Informer
    private let nodes: Informer
    private let namespaces: Informer
    private let budgets: Informer
    private let priorityClasses: Informer
    private let claims: Informer
    private let volumes: Informer
    private let events: EventRecorder
    private let permits: CallPermits

    public init(client: KubernetesClient, configuration: SchedulerConfiguration = SchedulerConfiguration(), logger: Logger? = nil) {
        let logger = logger ?? Logger(label: "flotilla.scheduler")
        self.client = client
        self.configuration = configuration
        self.logger = logger
        queue = SchedulingQueue(
            initialBackoff: configuration.initialBackoff, maximumBackoff: configuration.maximumBackoff,
            unschedulableTimeout: configuration.unschedulableTimeout)
        var stacks: [String: SchedulingStack] = [:]
        for profile in configuration.profiles { stacks[profile.schedulerName] = SchedulingStack(profile: profile) }
        self.stacks = stacks
        pods = Informer(client: client, resource: .pods, fieldSelector: "status.phase!=Succeeded,status.phase!=Failed", logger: logger)
        nodes = Informer(client: client, resource: .nodes, logger: logger)
        namespaces = Informer(client: client, resource: .namespaces, logger: logger)
        budgets = Informer(client: client, resource: .podDisruptionBudgets, logger: logger)
        priorityClasses = Informer(client: client, resource: .priorityClasses, logger: logger)
        claims = Informer(client: client, resource: .persistentVolumeClaims, logger: logger)
        volumes = Informer(client: client, resource: .persistentVolumes, logger: logger)
        events = EventRecorder(
            client: client, component: configuration.component, instance: configuration.reportingInstance,
            capacity: configuration.eventBacklog, logger: logger)
        permits = CallPermits(configuration.concurrentCalls)

        pods.onAdd { [weak self] pod in self?.podChanged(pod) }
        pods.onUpdate { [weak self] old, pod in self?.podUpdated(old, pod) }
        pods.onDelete { [weak self] pod in self?.podDeleted(pod) }
        nodes.onAdd { [weak self] node in self?.nodeChanged(node) }
        nodes.onUpdate { [weak self] _, node in self?.nodeChanged(node) }
        nodes.onDelete { [weak self] node in self?.nodeDeleted(node) }
        namespaces.onAdd { [weak self] namespace in self?.namespaceChanged(namespace, deleted: false) }
        namespaces.onUpdate { [weak self] _, namespace in self?.namespaceChanged(namespace, deleted: false) }
        namespaces.onDelete { [weak self] namespace in self?.namespaceChanged(namespace, deleted: true) }
        claims.onAdd { [weak self] claim in self?.claimChanged(claim, deleted: false) }
        claims.onUpdate { [weak self] _, claim in self?.claimChanged(claim, deleted: false) }
        claims.onDelete { [weak self] claim in self?.claimChanged(claim, deleted: true) }
        volumes.onAdd { [weak self] volume in self?.volumeChanged(volume, deleted: false) }
        volumes.onUpdate { [weak self] _, volume in self?.volumeChanged(volume, deleted: false) }
        volumes.onDelete { [weak self] volume in self?.volumeChanged(volume, deleted: true) }
        priorityClasses.onAdd { [weak self] _ in self?.priorityClassesChanged() }
        priorityClasses.onUpdate { [weak self] _, _ in self?.priorityClassesChanged() }
        priorityClasses.onDelete { [weak self] _ in self?.priorityClassesChanged() }
    }

    public var description: String { "Scheduler" }

    /// The counters so far.
    public var statistics: SchedulerStatistics {
        var statistics = counters.withLock { $0 }
        statistics.eventsDropped = events.dropped
        return statistics
    }

    /// How many pods wait in each part of the queue.
    public var queueCounts: (active: Int, backoff: Int, unschedulable: Int, inFlight: Int) { queue.counts }

    // MARK: - Running

    /// Runs until graceful shutdown or cancellation: the informers, the scheduling loop, the
    /// queue's timers and the event writer.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for informer in [priorityClasses, namespaces, budgets, claims, volumes, nodes] {
                group.addTask { try? await informer.run() }
            }
            group.addTask { await self.events.run() }
            do {
                // Pods are listed once priority classes and nodes are known, so that they decode
                // with their priorities and the first cycles see every node.
                try await priorityClasses.waitForSync()
                try await nodes.waitForSync()
                group.addTask { try? await self.pods.run() }
                try await waitUntilReady()
                logger.info("scheduler started", metadata: [
                    "profiles": .string(configuration.profiles.map(\.schedulerName).joined(separator: ",")),
                    "nodes": .string(String(core.withLock { $0.state.candidates.count })),
                ])
                group.addTask { await self.runTimers() }
                group.addTask { await self.schedulingLoop() }
                try await gracefulShutdown()
            } catch {
                // Cancelled: stop as on graceful shutdown.
            }
            queue.close()
            events.close()
            group.cancelAll()
        }
        logger.info("scheduler stopped")
    }

    /// Returns once every informer has loaded its first list.
    public func waitUntilReady() async throws {
        for informer in [priorityClasses, namespaces, budgets, claims, volumes, nodes, pods] { try await informer.waitForSync() }
    }

    /// Moves due pods out of back-off every 100 ms and retries long-unschedulable pods every second.
    private func runTimers() async {
        var ticks = 0
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
            queue.flushBackoff()
            ticks += 1
            if ticks % 10 == 0 { queue.flushUnschedulable() }
        }
    }

    private enum Decision {
        case bind(String)
        case unschedulable(String, PreemptionPlan?)
        case skip
    }

    private func schedulingLoop() async {
        await withDiscardingTaskGroup { group in
            while let entry = await queue.pop() {
                await permits.acquire()
                let pod = entry.pod
                switch decide(pod) {
                case .bind(let node):
                    group.addTask {
                        await self.bind(pod, to: node)
                        self.permits.release()
                    }
                case .unschedulable(let message, let plan):
                    queue.requeueUnschedulable(pod.key)
                    group.addTask {
                        await self.reportFailure(pod, message: message, preemption: plan)
                        self.permits.release()
                    }
                case .skip:
                    queue.done(pod.key)
                    permits.release()
                }
            }
        }
    }

    /// One scheduling cycle under the state's lock: assume the pod on the chosen node, or find
    /// out why it fits nowhere and whether preemption can help.
    private func decide(_ pod: PodInfo) -> Decision {
        guard let stack = stack(for: pod) else { return .skip }
        let decision = core.withLock { core -> Decision in
            switch stack.schedule(pod, in: core.state, random: &core.random) {
            case .success(let placement):
                core.state.assume(pod, on: placement.nodeName)
                return .bind(placement.nodeName)
            case .failure(let failure):
                var plan: PreemptionPlan?
                if configuration.preemption && !failure.resolvableSlots.isEmpty && !pod.neverPreempts {
                    let budgets = self.budgets.cache.list().map(DisruptionBudget.init(json:))
                    plan = stack.preempt(pod, failure: failure, in: core.state, budgets: budgets, random: &core.random)
                    if let plan { core.state.nominate(pod, on: plan.nodeName) }
                }
                return .unschedulable(failure.message, plan)
            }
        }
        counters.withLock { c in
            c.attempts += 1
            if case .unschedulable(_, let plan) = decision {
                c.unschedulable += 1
                if plan != nil { c.preemptions += 1 }
            }
        }
        return decision
    }

    private func bind(_ pod: PodInfo, to node: String) async {
        do {
            try await client.bind(pod: pod.name, namespace: pod.namespace, to: node, uid: pod.uid.isEmpty ? nil : pod.uid)
            queue.done(pod.key)
            counters.withLock { $0.scheduled += 1 }
            reported.withLock { _ = $0.removeValue(forKey: pod.key) }
            if configuration.recordScheduledEvents {
                events.record(pod, type: "Normal", reason: "Scheduled", message: "Successfully assigned \(pod.namespace)/\(pod.name) to \(node)")
            }
        } catch {
            core.withLock { $0.state.forget(pod) }
            counters.withLock { $0.bindFailures += 1 }
            logger.debug("binding failed", metadata: ["pod": .string(pod.key), "node": .string(node), "error": "\(error)"])
            if (error as? FlotillaError)?.code == .notFound {
                queue.done(pod.key)
            } else {
                queue.requeueBackoff(pod.key)
            }
            queue.moveAllToActiveOrBackoff()
        }
    }

    /// Evicts the victims of a preemption, then writes the pod's `PodScheduled=False` condition
    /// (and nominated node) unless its status already says the same, and a `FailedScheduling` event.
    private func reportFailure(_ pod: PodInfo, message: String, preemption plan: PreemptionPlan?) async {
        if let plan {
            for victim in plan.victims {
                do {
                    try await client.delete(.pods, namespace: victim.namespace, name: victim.name, preconditions: Preconditions(uid: victim.uid))
                    events.record(victim, type: "Normal", reason: "Preempted", message: "Preempted by pod \(pod.uid) on node \(plan.nodeName)")
                } catch {
                    logger.warning("cannot evict preemption victim", metadata: ["pod": .string(victim.key), "error": "\(error)"])
                }
            }
            logger.info("preempting", metadata: [
                "pod": .string(pod.key), "node": .string(plan.nodeName),
                "victims": .string(plan.victims.map(\.key).joined(separator: ",")),
            ])
        }
        let previous = reported.withLock { $0[pod.key] } ?? pod.unschedulableMessage
        if previous != message || plan != nil {
            var condition: JSONObject = [
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message), "lastProbeTime": nil,
            ]
            if pod.unschedulableMessage == nil { condition["lastTransitionTime"] = .string(Timestamp.now()) }
            var status: JSONObject = ["conditions": [.object(condition)]]
            if let plan { status["nominatedNodeName"] = .string(plan.nodeName) }
            do {
                _ = try await client.patch(
                    .pods, namespace: pod.namespace, name: pod.name, ["status": .object(status)], type: .strategic,
                    subresource: "status")
                reported.withLock { $0[pod.key] = message }
            } catch {
                logger.debug("cannot update pod status", metadata: ["pod": .string(pod.key), "error": "\(error)"])
            }
        }
        events.record(pod, type: "Warning", reason: "FailedScheduling", message: message)
    }

    // MARK: - Informer events

    private func stack(for pod: PodInfo) -> SchedulingStack? {
        stacks[pod.schedulerName.isEmpty ? SchedulingProfile.defaultSchedulerName : pod.schedulerName]
    }

    private func decode(_ pod: JSON) -> PodInfo {
        let table = priorities.withLock { $0 }
        return PodInfo(json: pod) { name in name.isEmpty ? table.globalDefault : (table.values[name] ?? 0) }
    }

    private func podChanged(_ json: JSON) {
        let pod = decode(json)
        if !pod.nodeName.isEmpty {
            core.withLock { core in core.state.upsertPod(pod) }
            bound(pod)
        } else if pod.isTerminating || pod.isFinished || pod.isSchedulingGated || stack(for: pod) == nil {
            core.withLock { $0.state.clearNomination(key: pod.key) }
            queue.remove(key: pod.key)
        } else {
            // A pod that preempted others keeps its claim on the node (also across restarts).
            if !pod.nominatedNodeName.isEmpty { core.withLock { $0.state.nominate(pod, on: pod.nominatedNodeName) } }
            queue.addOrUpdate(pod)
        }
    }

    /// What follows from a pod counted on its node: it waits for nothing any more.
    private func bound(_ pod: PodInfo) {
        queue.remove(key: pod.key)
        reported.withLock { _ = $0.removeValue(forKey: pod.key) }
        if pod.isFinished { queue.moveAllToActiveOrBackoff() }
    }

    /// A bound pod whose status changed (its agent reporting) changes nothing the scheduler
    /// counts. A binding confirmed or a phase reported (the pod running, or finished) changes
    /// only the pod's progress: the pod counted (assumed) on its node is updated without
    /// decoding it again. Anything else is handled as a change.
    private func podUpdated(_ old: JSON, _ new: JSON) {
        let newSpec = new["spec"]
        let nodeName = newSpec["nodeName"]
        guard !(nodeName.string ?? "").isEmpty, Self.sameScheduling(old, new) else {
            podChanged(new)
            return
        }
        var oldSpec = old["spec"]
        let placed = oldSpec["nodeName"] != nodeName
        let phaseChanged = old["status"]["phase"] != new["status"]["phase"]
        if !placed && !phaseChanged {
            // A status report: nothing the scheduler counts changed, unless the spec did.
            if oldSpec != newSpec { podChanged(new) }
            return
        }
        oldSpec["nodeName"] = nodeName
        guard oldSpec == newSpec else { return podChanged(new) }
        let key = ObjectCache.key(for: new)
        let progressed = core.withLock { core -> PodInfo? in
            guard let record = core.state.pods[key] else { return nil }
            let pod = record.pod.progressed(to: new)
            return core.state.progress(pod) ? pod : nil
        }
        guard let progressed else { return podChanged(new) }
        bound(progressed)
    }

    /// Whether the metadata scheduling reads is the same in both states of a pod.
    private static func sameScheduling(_ old: JSON, _ new: JSON) -> Bool {
        let oldMeta = old["metadata"]
        let newMeta = new["metadata"]
        return oldMeta["uid"] == newMeta["uid"] && oldMeta["labels"] == newMeta["labels"]
            && oldMeta["deletionTimestamp"].isNull == newMeta["deletionTimestamp"].isNull
            && oldMeta["ownerReferences"] == newMeta["ownerReferences"]
            && oldMeta["annotations"][MarathonConstraint.annotation] == newMeta["annotations"][MarathonConstraint.annotation]
    }

    private func podDeleted(_ json: JSON) {
        let key = ObjectCache.key(for: json)
        let freed = core.withLock { core -> Bool in
            core.state.clearNomination(key: key)
            guard core.state.pods[key] != nil else { return false }
            core.state.removePod(key: key)
            return true
        }
        queue.remove(key: key)
        reported.withLock { _ = $0.removeValue(forKey: key) }
        if freed { queue.moveAllToActiveOrBackoff() }
    }

    private func nodeChanged(_ json: JSON) {
        let view = NodeView(json: json)
        if core.withLock({ $0.state.upsertNode(view) }) { queue.moveAllToActiveOrBackoff() }
    }

    private func nodeDeleted(_ json: JSON) {
        let name = json["metadata"]["name"].string ?? ""
        core.withLock { $0.state.removeNode(named: name) }
    }

    private func namespaceChanged(_ json: JSON, deleted: Bool) {
        let name = json["metadata"]["name"].string ?? ""
        var labels: [String: String] = [:]
        for (key, value) in json["metadata"]["labels"].object ?? [:] { labels[key] = value.string ?? "" }
        core.withLock { $0.state.setNamespace(name, labels: deleted ? nil : labels) }
    }

    private func claimChanged(_ json: JSON, deleted: Bool) {
        let volume = deleted ? nil : (json["spec"]["volumeName"].string ?? "")
        if core.withLock({ $0.state.setClaim(ObjectCache.key(for: json), volumeName: volume) }) { queue.moveAllToActiveOrBackoff() }
    }

    private func volumeChanged(_ json: JSON, deleted: Bool) {
        let required = json["spec"]["nodeAffinity"]["required"]
        let terms = deleted || required.isNull ? nil : (required["nodeSelectorTerms"].array ?? []).map { NodeSelectorTerm(json: $0) }
        let name = json["metadata"]["name"].string ?? ""
        if core.withLock({ $0.state.setVolume(name, nodeAffinity: terms) }) { queue.moveAllToActiveOrBackoff() }
    }

    private func priorityClassesChanged() {
        var table = Priorities()
        for priorityClass in priorityClasses.cache.list() {
            guard let name = priorityClass["metadata"]["name"].string, let value = priorityClass["value"].int else { continue }
            table.values[name] = Int32(clamping: value)
            if priorityClass["globalDefault"].bool == true { table.globalDefault = Int32(clamping: value) }
        }
        priorities.withLock { $0 = table }
    }

    // MARK: - Explaining

    /// Explains the placement of a pod from the scheduler's current picture of the cluster:
    /// for a pending pod, why it fits nowhere (or where it would go); for a placed pod, how its
    /// node compares with the others now. Throws `.notFound` for an unknown pod.
    public func explain(namespace: String, name: String) async throws -> PodExplanation {
        var json = pods.cache.get(namespace: namespace, name: name)
        if json == nil { json = try await client.get(.pods, namespace: namespace, name: name) }
        guard let json else { throw FlotillaError.notFound(resource: "pods", name: name) }
        var pending = json
        pending[path: ["spec", "nodeName"]] = .null
        let pod = decode(pending)
        let boundNode = json["spec"]["nodeName"].string ?? ""
        let served = stack(for: pod)
        let stack = served ?? stacks[SchedulingProfile.defaultSchedulerName] ?? SchedulingStack()
        var explanation = core.withLock { core -> PodExplanation in
            let record = core.state.pods[pod.key]
            let recordNode = record.flatMap { core.state.slots[$0.slot]?.name }
            if record != nil { core.state.removePod(key: pod.key) }
            defer {
                if let record, let recordNode {
                    if record.assumed { core.state.assume(record.pod, on: recordNode) } else { core.state.upsertPod(record.pod) }
                }
            }
            return stack.explain(pod, in: core.state, placedOn: boundNode.isEmpty ? recordNode : boundNode)
        }
        if served == nil {
            explanation.suggestions.insert(
                "the pod names scheduler \"\(explanation.schedulerName)\", which this scheduler does not serve "
                    + "(it serves \(stacks.keys.sorted().joined(separator: ", ")))", at: 0)
        }
        return explanation
    }
}

extension ResourceRef {
    fileprivate static let podDisruptionBudgets = ResourceRef(
        group: "policy", version: "v1", plural: "poddisruptionbudgets", kind: "PodDisruptionBudget", namespaced: true)
    fileprivate static let priorityClasses = ResourceRef(
        group: "scheduling.k8s.io", version: "v1", plural: "priorityclasses", kind: "PriorityClass", namespaced: false)
}
