import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Keeps `spec.replicas` pods of each ReplicaSet: adopts matching pods without a controller,
/// releases owned pods that stopped matching, creates the missing ones (in growing batches, as
/// Kubernetes' slow start does) and deletes the surplus in ``ReplicaSetPods/deletionOrder(_:)``,
/// then writes `status` (replicas, fullyLabeled, ready, available, observedGeneration).
///
/// Level-triggered from the replica set and pod informers; ``Expectations`` keep it from acting
/// twice on a cache that has not yet seen its own writes.
final class ReplicaSetController: Sendable {
    static let kind = "ReplicaSet"
    static let apiVersion = "apps/v1"
    /// The most pods created or deleted in one sync.
    static let burst = 500
    /// How long a sync queued by a pod's status change, or by one of the set's own creations
    /// and deletions while more of them are still to arrive, waits: so that many pods' changes
    /// are counted by one sync (and written by one status update).
    static let coalescingDelay: Duration = .milliseconds(50)

    private let client: KubernetesClient
    private let replicaSets: Informer
    private let pods: Informer
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()
    private let expectations = Expectations()

    init(client: KubernetesClient, replicaSets: Informer, pods: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.replicaSets = replicaSets
        self.pods = pods
        self.events = events
        self.logger = logger
        replicaSets.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        replicaSets.onUpdate { [queue] old, new in
            // Its own status writes would otherwise queue a second count of every pod.
            if !StatusOnlyUpdate.matches(old: old, new: new) { queue.add(ObjectCache.key(for: new)) }
        }
        replicaSets.onDelete { [queue, expectations] in
            expectations.forget(ObjectCache.key(for: $0))
            queue.add(ObjectCache.key(for: $0))
        }
        pods.onAdd { [weak self] pod in
            guard let self else { return }
            if let key = self.ownerKey(pod) {
                self.expectations.observedAdd(key)
                self.enqueueObserved(key)
            } else {
                self.enqueueSelecting(pod)
            }
        }
        pods.onUpdate { [weak self] old, new in
            guard let self else { return }
            if let key = self.ownerKey(new) {
                // A change of status only moves the counts: syncs for those are coalesced.
                if ReplicaSetPods.changesMembership(old: old, new: new) {
                    self.enqueueObserved(key)
                } else {
                    self.queue.addAfter(key, delay: Self.coalescingDelay)
                }
            }
            if let oldKey = self.ownerKey(old), oldKey != self.ownerKey(new) { self.queue.add(oldKey) }
            if OwnerReferences.controller(of: new) == nil { self.enqueueSelecting(new) }
        }
        pods.onDelete { [weak self] pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.expectations.observedDelete(key)
            self.enqueueObserved(key)
        }
    }

    /// Queues a sync of the set `key` after a change of its pods: at once when the cache holds
    /// every creation and deletion the set waits for; a little later while they are still
    /// arriving, as that sync could only count them.
    private func enqueueObserved(_ key: String) {
        if expectations.satisfied(key) {
            queue.add(key)
        } else {
            queue.addAfter(key, delay: Self.coalescingDelay)
        }
    }

    /// Syncs replica sets with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func ownerKey(_ pod: JSON) -> String? {
        OwnerReferences.controllerKey(of: pod, kind: Self.kind)
    }

    /// Queues every replica set of the pod's namespace whose selector matches it (to adopt it).
    private func enqueueSelecting(_ pod: JSON) {
        guard let namespace = pod["metadata"]["namespace"].string else { return }
        for replicaSet in replicaSets.cache.list(namespace: namespace) {
            if let selector = try? LabelSelector(json: replicaSet["spec"]["selector"]), selector.matches(labels: pod["metadata"]["labels"]) {
                queue.add(ObjectCache.key(for: replicaSet))
            }
        }
    }

    func sync(_ key: String) async throws {
        guard let replicaSet = replicaSets.cache.get(key: key) else { return }
        let meta = replicaSet["metadata"]
        guard let namespace = meta["namespace"].string, let name = meta["name"].string, let uid = meta["uid"].string else { return }
        let selector = try LabelSelector(json: replicaSet["spec"]["selector"])
        // The index holds the pods whose controller has this set's uid, which no object of
        // another kind has.
        var active: [PodFacts] = []
        var selected = LabelVerdicts { selector.matches(labels: $0) }
        for pod in ControllerIndexes.controlledPods(by: uid, in: pods) {
            if selected.verdict(on: pod.labelSet) {
                if pod.isActive { active.append(pod) }
            } else {
                try await release(pod.object, uid: uid)
            }
        }
        if meta["deletionTimestamp"].isNull {
            for pod in ControllerIndexes.orphans(in: namespace, of: pods) where PodState.isActive(pod) && selector.matches(labels: pod["metadata"]["labels"]) {
                if let adopted = try await adopt(pod, by: replicaSet) { active.append(PodFacts(adopted)) }
            }
        }
        if expectations.satisfied(key), meta["deletionTimestamp"].isNull {
            try await scale(replicaSet, key: key, active: active)
        }
        try await writeStatus(replicaSet, name: name, namespace: namespace, active: active)
    }

    /// Creates or deletes pods so that `active` becomes `spec.replicas`.
    private func scale(_ replicaSet: JSON, key: String, active: [PodFacts]) async throws {
        let wanted = Int(replicaSet["spec"]["replicas"].int ?? 1)
        let difference = active.count - wanted
        let control = PodControl(client: client, events: events, expectations: expectations, apiVersion: Self.apiVersion, kind: Self.kind)
        if difference < 0 {
            let reference = OwnerReferences.controllerReference(to: replicaSet, apiVersion: Self.apiVersion, kind: Self.kind)
            let pod = ReplicaSetPods.make(template: replicaSet["spec"]["template"], owner: replicaSet, ownerReference: reference)
            // Slow start: batches of 1, 2, 4, … so that a template the API refuses fails once, not hundreds of times.
            var remaining = min(-difference, Self.burst)
            var batch = 1
            while remaining > 0 {
                let size = min(batch, remaining)
                try await control.create(Array(repeating: pod, count: size), of: replicaSet, key: key)
                remaining -= size
                batch *= 2
            }
        } else if difference > 0 {
            let victims = ReplicaSetPods.deletionOrder(active).prefix(min(difference, Self.burst)).map(\.object)
            try await control.delete(victims, of: replicaSet, key: key)
        }
    }

    /// Makes `pod` the replica set's (a pod may be adopted by one controller only); nil when
    /// the pod changed or went meanwhile.
    private func adopt(_ pod: JSON, by replicaSet: JSON) async throws -> JSON? {
        var references = OwnerReferences.all(of: pod)
        references.append(OwnerReferences.controllerReference(to: replicaSet, apiVersion: Self.apiVersion, kind: Self.kind))
        let patch: JSON = ["metadata": ["ownerReferences": .array(references), "uid": pod["metadata"]["uid"], "resourceVersion": pod["metadata"]["resourceVersion"]]]
        do {
            return try await client.patch(.pods, namespace: pod["metadata"]["namespace"].string, name: pod["metadata"]["name"].string ?? "", patch, type: .merge)
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            return nil
        }
    }

    /// Removes the replica set's controller reference from a pod that no longer matches.
    private func release(_ pod: JSON, uid: String) async throws {
        let references = OwnerReferences.all(of: pod).filter { $0["uid"].string != uid }
        let patch: JSON = ["metadata": ["ownerReferences": references.isEmpty ? .null : .array(references), "uid": pod["metadata"]["uid"]]]
        do {
            _ = try await client.patch(.pods, namespace: pod["metadata"]["namespace"].string, name: pod["metadata"]["name"].string ?? "", patch, type: .merge)
        } catch let error as FlotillaError where error.code == .notFound {}
    }

    /// Writes the replica set's status when it changed; queues the set again when a Ready pod
    /// becomes available later (minReadySeconds).
    private func writeStatus(_ replicaSet: JSON, name: String, namespace: String, active: [PodFacts]) async throws {
        let minReady = Int(replicaSet["spec"]["minReadySeconds"].int ?? 0)
        let counts = ReplicaCounts(
            pods: active, templateLabels: replicaSet["spec"]["template"]["metadata"]["labels"].object ?? [:], minReadySeconds: minReady, now: Date())
        var status = replicaSet["status"]
        if status.object == nil { status = .emptyObject }
        status["replicas"] = .int(Int64(counts.replicas))
        status["fullyLabeledReplicas"] = .int(Int64(counts.fullyLabeled))
        status["readyReplicas"] = .int(Int64(counts.ready))
        status["availableReplicas"] = .int(Int64(counts.available))
        status["observedGeneration"] = replicaSet["metadata"]["generation"]
        if counts.ready > counts.available, minReady > 0 { queue.addAfter(namespace + "/" + name, delay: .seconds(1)) }
        try await StatusPatch.write(status, to: replicaSet, .replicaSets, client: client)
    }
}
