import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Runs one pod of each DaemonSet on every node it belongs on (``DaemonSetPlacement``): a new
/// node gets one, a node that stops qualifying loses it, a failed daemon pod is replaced.
/// Each template is recorded as a ControllerRevision (``ControllerHistory``), whose hash the
/// pods carry as their `controller-revision-hash` label. RollingUpdate replaces pods of an
/// older revision at most `maxUnavailable` at a time; OnDelete leaves them until they are
/// deleted. `status` carries Kubernetes' counts, which `kubectl rollout status` reads.
final class DaemonSetController: Sendable {
    static let kind = "DaemonSet"
    static let apiVersion = "apps/v1"

    private let client: KubernetesClient
    private let daemonSets: Informer
    private let pods: Informer
    private let nodes: Informer
    private let history: ControllerHistory
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()
    private let expectations = Expectations()

    init(client: KubernetesClient, daemonSets: Informer, pods: Informer, revisions: Informer, nodes: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.daemonSets = daemonSets
        self.pods = pods
        self.nodes = nodes
        self.history = ControllerHistory(client: client, revisions: revisions, apiVersion: Self.apiVersion, kind: Self.kind)
        self.events = events
        self.logger = logger
        daemonSets.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        daemonSets.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        daemonSets.onDelete { [queue, expectations] in
            expectations.forget(ObjectCache.key(for: $0))
            queue.add(ObjectCache.key(for: $0))
        }
        pods.onAdd { [weak self] pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.expectations.observedAdd(key)
            self.queue.add(key)
        }
        pods.onUpdate { [weak self] _, pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.queue.add(key)
        }
        pods.onDelete { [weak self] pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.expectations.observedDelete(key)
            self.queue.add(key)
        }
        let revisionOwner: @Sendable (JSON) -> Void = { [queue] revision in
            if let key = OwnerReferences.controllerKey(of: revision, kind: Self.kind) { queue.add(key) }
        }
        revisions.onAdd(revisionOwner)
        revisions.onUpdate { _, new in revisionOwner(new) }
        revisions.onDelete(revisionOwner)
        // Any node change may add or remove daemon pods.
        let everyDaemonSet: @Sendable () -> Void = { [daemonSets, queue] in
            for daemonSet in daemonSets.cache.list() { queue.add(ObjectCache.key(for: daemonSet)) }
        }
        nodes.onAdd { _ in everyDaemonSet() }
        nodes.onUpdate { old, new in
            if old["metadata"]["labels"] != new["metadata"]["labels"] || old["spec"]["taints"] != new["spec"]["taints"] { everyDaemonSet() }
        }
        nodes.onDelete { _ in everyDaemonSet() }
    }

    /// Syncs daemon sets with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func ownerKey(_ pod: JSON) -> String? {
        OwnerReferences.controllerKey(of: pod, kind: Self.kind)
    }

    func sync(_ key: String) async throws {
        guard let daemonSet = daemonSets.cache.get(key: key), daemonSet["metadata"]["deletionTimestamp"].isNull,
            daemonSet["metadata"]["namespace"].string != nil, let uid = daemonSet["metadata"]["uid"].string
        else { return }
        let template = DaemonSetPlacement.template(of: daemonSet)
        let revisions = try await history.sync(daemonSet)
        let revision = revisions.update["metadata"]["labels"][ControllerHistory.hashLabel].string ?? ""
        var byNode: [String: [JSON]] = [:]
        for pod in ControllerIndexes.controlled(by: uid, in: pods) where OwnerReferences.isControlled(pod, byKind: Self.kind, uid: uid) {
            guard pod["metadata"]["deletionTimestamp"].isNull, let node = DaemonSetPlacement.node(of: pod) else { continue }
            byNode[node, default: []].append(pod)
        }
        let eligible = Set(nodes.cache.list().filter { DaemonSetPlacement.shouldRun(template, on: $0) }.compactMap { $0["metadata"]["name"].string })

        var create: [String] = []
        var delete: [JSON] = []
        for node in eligible {
            let here = (byNode[node] ?? []).sorted { ($0["metadata"]["creationTimestamp"].string ?? "") < ($1["metadata"]["creationTimestamp"].string ?? "") }
            let failed = here.filter { $0["status"]["phase"].string == "Failed" }
            delete += failed
            let alive = here.filter { $0["status"]["phase"].string != "Failed" }
            if alive.isEmpty { create.append(node) }
            delete += alive.dropFirst()
        }
        for (node, here) in byNode where !eligible.contains(node) { delete += here }
        if expectations.satisfied(key) {
            if delete.isEmpty, daemonSet["spec"]["updateStrategy"]["type"].string != "OnDelete" {
                delete = outdated(byNode: byNode, eligible: eligible, revision: revision, daemonSet: daemonSet)
            }
            try await apply(daemonSet, key: key, create: create, delete: delete, template: template, revision: revision)
        }
        let live = Set(byNode.values.joined().compactMap { $0["metadata"]["labels"][ControllerHistory.hashLabel].string } + [revision])
        try await history.prune(daemonSet, all: revisions.all, live: live)
        try await writeStatus(daemonSet, byNode: byNode, eligible: eligible, revision: revision, collisionCount: revisions.collisionCount)
    }

    /// The pods of an older template to replace now: unavailable ones first, then available
    /// ones while fewer than `maxUnavailable` daemon pods are unavailable.
    private func outdated(byNode: [String: [JSON]], eligible: Set<String>, revision: String, daemonSet: JSON) -> [JSON] {
        let minReady = Int(daemonSet["spec"]["minReadySeconds"].int ?? 0)
        let now = Date()
        let maxUnavailable = DeploymentController.intOrPercent(daemonSet["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"], default: .count(1))
            .resolve(of: eligible.count, roundUp: true)
        var unavailable = eligible.filter { node in
            !(byNode[node] ?? []).contains { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }
        }.count
        var result: [JSON] = []
        let old = eligible.sorted().compactMap { byNode[$0]?.first }.filter { $0["metadata"]["labels"][ControllerHistory.hashLabel].string != revision }
        for pod in old where !PodState.isAvailable(pod, minReadySeconds: minReady, now: now) {
            result.append(pod)
        }
        for pod in old where PodState.isAvailable(pod, minReadySeconds: minReady, now: now) && unavailable < max(1, maxUnavailable) {
            result.append(pod)
            unavailable += 1
        }
        return result
    }

    private func apply(_ daemonSet: JSON, key: String, create: [String], delete: [JSON], template: JSON, revision: String) async throws {
        let control = PodControl(client: client, events: events, expectations: expectations, apiVersion: Self.apiVersion, kind: Self.kind)
        let reference = OwnerReferences.controllerReference(to: daemonSet, apiVersion: Self.apiVersion, kind: Self.kind)
        var labeled = template
        labeled[path: ["metadata", "labels", ControllerHistory.hashLabel]] = .string(revision)
        let pods = create.map { ReplicaSetPods.make(template: DaemonSetPlacement.pinned(labeled, to: $0), owner: daemonSet, ownerReference: reference) }
        async let created: [String] = control.create(pods, of: daemonSet, key: key)
        async let deleted: Void = control.delete(delete, of: daemonSet, key: key)
        _ = try await (created, deleted)
    }

    private func writeStatus(_ daemonSet: JSON, byNode: [String: [JSON]], eligible: Set<String>, revision: String, collisionCount: Int64) async throws {
        let minReady = Int(daemonSet["spec"]["minReadySeconds"].int ?? 0)
        let now = Date()
        let scheduled = eligible.filter { !(byNode[$0] ?? []).isEmpty }
        let first = scheduled.compactMap { byNode[$0]?.first }
        let ready = first.filter(PodState.isReady).count
        let available = first.filter { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }.count
        let updated = first.filter { $0["metadata"]["labels"][ControllerHistory.hashLabel].string == revision }.count
        var status: JSON = daemonSet["status"].object == nil ? .emptyObject : daemonSet["status"]
        status["currentNumberScheduled"] = .int(Int64(scheduled.count))
        status["numberMisscheduled"] = .int(Int64(byNode.keys.filter { !eligible.contains($0) }.count))
        status["desiredNumberScheduled"] = .int(Int64(eligible.count))
        status["numberReady"] = .int(Int64(ready))
        status["updatedNumberScheduled"] = .int(Int64(updated))
        status["numberAvailable"] = .int(Int64(available))
        status["numberUnavailable"] = .int(Int64(max(0, eligible.count - available)))
        status["observedGeneration"] = daemonSet["metadata"]["generation"]
        if collisionCount > 0 { status["collisionCount"] = .int(collisionCount) }
        if ready > available, minReady > 0 { queue.addAfter(ObjectCache.key(for: daemonSet), delay: .seconds(1)) }
        try await StatusPatch.write(status, to: daemonSet, .daemonSets, client: client)
    }
}
