import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Gives each StatefulSet its pods `<set>-0 … <set>-(n-1)` with stable names, hostnames and
/// claims (``StatefulSetPods``). With OrderedReady (the default) pod n is created only once
/// pods 0…n-1 are Running and Ready, and scale-down removes the highest ordinal first, one at a
/// time; Parallel creates and removes them all at once. RollingUpdate replaces pods of an older
/// template from the highest ordinal down to `partition`, one at a time, each once the others
/// are Ready; OnDelete waits for them to be deleted. Claims are never deleted with their pods.
/// Each template is recorded as a ControllerRevision (``ControllerHistory``) whose name the
/// pods carry as their `controller-revision-hash` label; a pod below the partition that has to
/// be made again is made at the current revision, not the update revision.
final class StatefulSetController: Sendable {
    static let kind = "StatefulSet"
    static let apiVersion = "apps/v1"

    private let client: KubernetesClient
    private let statefulSets: Informer
    private let pods: Informer
    private let history: ControllerHistory
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()

    init(client: KubernetesClient, statefulSets: Informer, pods: Informer, revisions: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.statefulSets = statefulSets
        self.pods = pods
        self.history = ControllerHistory(client: client, revisions: revisions, apiVersion: Self.apiVersion, kind: Self.kind)
        self.events = events
        self.logger = logger
        statefulSets.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        statefulSets.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        statefulSets.onDelete { [queue] in queue.add(ObjectCache.key(for: $0)) }
        let owner: @Sendable (JSON) -> Void = { [queue] dependent in
            if let key = OwnerReferences.controllerKey(of: dependent, kind: Self.kind) { queue.add(key) }
        }
        pods.onAdd(owner)
        pods.onUpdate { _, new in owner(new) }
        pods.onDelete(owner)
        revisions.onAdd(owner)
        revisions.onUpdate { _, new in owner(new) }
        revisions.onDelete(owner)
    }

    /// Syncs stateful sets with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    func sync(_ key: String) async throws {
        guard let set = statefulSets.cache.get(key: key), set["metadata"]["deletionTimestamp"].isNull,
            set["metadata"]["namespace"].string != nil, let name = set["metadata"]["name"].string,
            let uid = set["metadata"]["uid"].string
        else { return }
        let replicas = Int(set["spec"]["replicas"].int ?? 1)
        let revisions = try await history.sync(set)
        let update = revisions.update
        let current = revisions.all.first { $0["metadata"]["name"].string == set["status"]["currentRevision"].string } ?? update
        let parallel = set["spec"]["podManagementPolicy"].string == "Parallel"
        var byOrdinal: [Int: JSON] = [:]
        for pod in ControllerIndexes.controlled(by: uid, in: pods) where OwnerReferences.isControlled(pod, byKind: Self.kind, uid: uid) {
            if let ordinal = StatefulSetPods.ordinal(of: pod["metadata"]["name"].string ?? "", set: name) { byOrdinal[ordinal] = pod }
        }
        try await reconcile(set, byOrdinal: byOrdinal, replicas: replicas, current: current, update: update, parallel: parallel)
        let live = Set(byOrdinal.values.compactMap { $0["metadata"]["labels"][ControllerHistory.hashLabel].string } + [current, update].compactMap { $0["metadata"]["name"].string })
        try await history.prune(set, all: revisions.all, live: live)
        try await writeStatus(
            set, byOrdinal: byOrdinal, replicas: replicas, current: current["metadata"]["name"].string ?? "", update: update["metadata"]["name"].string ?? "",
            collisionCount: revisions.collisionCount)
    }

    /// One step towards the desired pods; with OrderedReady it stops at the first pod that is
    /// not yet Running and Ready.
    private func reconcile(_ set: JSON, byOrdinal: [Int: JSON], replicas: Int, current: JSON, update: JSON, parallel: Bool) async throws {
        let revision = update["metadata"]["name"].string ?? ""
        let strategy = set["spec"]["updateStrategy"]
        let partition = Int(strategy["rollingUpdate"]["partition"].int ?? 0)
        let healthy = { (pod: JSON) in
            pod["metadata"]["deletionTimestamp"].isNull && pod["status"]["phase"].string == "Running" && PodState.isReady(pod)
        }
        for ordinal in 0..<replicas {
            guard let pod = byOrdinal[ordinal] else {
                let atCurrent = strategy["type"].string != "OnDelete" && ordinal < partition
                try await createPod(set, ordinal: ordinal, revision: atCurrent ? current : update)
                if parallel { continue } else { return }
            }
            let phase = pod["status"]["phase"].string
            if (phase == "Failed" || phase == "Succeeded"), pod["metadata"]["deletionTimestamp"].isNull {
                try await deletePod(set, pod)
                if parallel { continue } else { return }
            }
            if !parallel, !healthy(pod) { return }
        }
        // Scale down from the highest ordinal.
        let condemned = byOrdinal.keys.filter { $0 >= replicas }.sorted(by: >)
        if !condemned.isEmpty {
            if parallel {
                for ordinal in condemned where byOrdinal[ordinal]!["metadata"]["deletionTimestamp"].isNull { try await deletePod(set, byOrdinal[ordinal]!) }
                return
            }
            guard byOrdinal.values.allSatisfy({ $0["metadata"]["deletionTimestamp"].isNull }) else { return }
            try await deletePod(set, byOrdinal[condemned[0]]!)
            return
        }
        // Rolling update: all pods present and healthy, then the highest outdated one at or
        // above the partition goes, to come back at the new revision.
        guard strategy["type"].string != "OnDelete" else { return }
        let present = (0..<replicas).compactMap { byOrdinal[$0] }
        guard present.count == replicas, present.allSatisfy(healthy) else { return }
        if let outdated = (partition..<max(partition, replicas)).reversed().compactMap({ byOrdinal[$0] })
            .first(where: { $0["metadata"]["labels"][ControllerHistory.hashLabel].string != revision })
        {
            try await deletePod(set, outdated)
        }
    }

    /// Makes pod `ordinal` (and its claims) from the template of `revision`.
    private func createPod(_ set: JSON, ordinal: Int, revision: JSON) async throws {
        for claim in StatefulSetPods.claims(of: set, ordinal: ordinal) {
            do {
                _ = try await client.create(.persistentVolumeClaims, claim)
            } catch let error as FlotillaError where error.code == .alreadyExists {}
        }
        let reference = OwnerReferences.controllerReference(to: set, apiVersion: Self.apiVersion, kind: Self.kind)
        var atRevision = set
        atRevision[path: ["spec", "template"]] = ControllerHistory.template(of: revision)
        let pod = StatefulSetPods.make(set: atRevision, ordinal: ordinal, revision: revision["metadata"]["name"].string ?? "", ownerReference: reference)
        let podName = pod["metadata"]["name"].string ?? ""
        let setName = set["metadata"]["name"].string ?? ""
        do {
            _ = try await client.create(.pods, pod)
            events.record(set, apiVersion: Self.apiVersion, kind: Self.kind, reason: "SuccessfulCreate", message: "create Pod \(podName) in StatefulSet \(setName) successful")
        } catch let error as FlotillaError where error.code == .alreadyExists {
            // Still being deleted, or not yet in the cache: the next sync sees it.
        }
    }

    private func deletePod(_ set: JSON, _ pod: JSON) async throws {
        let podName = pod["metadata"]["name"].string ?? ""
        do {
            _ = try await client.delete(.pods, namespace: pod["metadata"]["namespace"].string, name: podName, preconditions: Preconditions(uid: pod["metadata"]["uid"].string))
            events.record(set, apiVersion: Self.apiVersion, kind: Self.kind, reason: "SuccessfulDelete",
                          message: "delete Pod \(podName) in StatefulSet \(set["metadata"]["name"].string ?? "") successful")
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
    }

    private func writeStatus(_ set: JSON, byOrdinal: [Int: JSON], replicas: Int, current: String, update revision: String, collisionCount: Int64) async throws {
        let minReady = Int(set["spec"]["minReadySeconds"].int ?? 0)
        let now = Date()
        let pods = Array(byOrdinal.values).filter { $0["metadata"]["deletionTimestamp"].isNull }
        let updated = pods.filter { $0["metadata"]["labels"][ControllerHistory.hashLabel].string == revision }.count
        var status: JSON = set["status"].object == nil ? .emptyObject : set["status"]
        let currentRevision = updated == replicas && pods.count == replicas ? revision : current
        status["replicas"] = .int(Int64(pods.count))
        status["readyReplicas"] = .int(Int64(pods.filter(PodState.isReady).count))
        status["availableReplicas"] = .int(Int64(pods.filter { PodState.isAvailable($0, minReadySeconds: minReady, now: now) }.count))
        status["currentReplicas"] = .int(Int64(pods.filter { $0["metadata"]["labels"][ControllerHistory.hashLabel].string == currentRevision }.count))
        status["updatedReplicas"] = .int(Int64(updated))
        status["currentRevision"] = .string(currentRevision)
        status["updateRevision"] = .string(revision)
        status["observedGeneration"] = set["metadata"]["generation"]
        status["collisionCount"] = .int(collisionCount)
        try await StatusPatch.write(status, to: set, .statefulSets, client: client)
    }
}
