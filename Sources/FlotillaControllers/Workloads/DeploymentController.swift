import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Rolls each Deployment's pod template out through replica sets, as Kubernetes does: the
/// replica set whose template matches is the new one (made, named `<deployment>-<hash>`, when
/// none does), the others are old; RollingUpdate grows the new one and shrinks the old ones
/// within `maxSurge` and `maxUnavailable` (``RollingUpdate``), Recreate removes every old pod
/// first. Revisions (`deployment.kubernetes.io/revision`) number the replica sets so that
/// `kubectl rollout history|undo` work, and old sets beyond `revisionHistoryLimit` are deleted.
/// `status` carries the counts and the `Available` and `Progressing` conditions, with
/// `ProgressDeadlineExceeded` after `progressDeadlineSeconds` without progress.
final class DeploymentController: Sendable {
    static let kind = "Deployment"
    static let apiVersion = "apps/v1"
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    private let client: KubernetesClient
    private let deployments: Informer
    private let replicaSets: Informer
    private let pods: Informer
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()
    /// When each paced deployment's last batch became available: its key → (new replica
    /// count then, time).
    private let batches = Locked<[String: (replicas: Int, at: ContinuousClock.Instant)]>([:])

    init(client: KubernetesClient, deployments: Informer, replicaSets: Informer, pods: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.deployments = deployments
        self.replicaSets = replicaSets
        self.pods = pods
        self.events = events
        self.logger = logger
        deployments.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        deployments.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        deployments.onDelete { [queue] in queue.add(ObjectCache.key(for: $0)) }
        replicaSets.onAdd { [weak self] in self?.enqueueOwner(of: $0) }
        replicaSets.onUpdate { [weak self] _, new in self?.enqueueOwner(of: new) }
        replicaSets.onDelete { [weak self] in self?.enqueueOwner(of: $0) }
        // Recreate waits for the old pods to be gone.
        pods.onDelete { [weak self] pod in
            guard let self, let ref = OwnerReferences.controller(of: pod), ref["kind"].string == ReplicaSetController.kind,
                let namespace = pod["metadata"]["namespace"].string, let name = ref["name"].string,
                let replicaSet = self.replicaSets.cache.get(namespace: namespace, name: name)
            else { return }
            self.enqueueOwner(of: replicaSet)
        }
    }

    /// Syncs deployments with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func enqueueOwner(of replicaSet: JSON) {
        guard let namespace = replicaSet["metadata"]["namespace"].string else { return }
        if let ref = OwnerReferences.controller(of: replicaSet) {
            if ref["kind"].string == Self.kind, let name = ref["name"].string { queue.add(namespace + "/" + name) }
            return
        }
        for deployment in deployments.cache.list(namespace: namespace) {
            if let selector = try? LabelSelector(json: deployment["spec"]["selector"]), selector.matches(labels: replicaSet["metadata"]["labels"]) {
                queue.add(ObjectCache.key(for: deployment))
            }
        }
    }

    func sync(_ key: String) async throws {
        guard let deployment = deployments.cache.get(key: key), deployment["metadata"]["deletionTimestamp"].isNull else { return }
        let meta = deployment["metadata"]
        guard let namespace = meta["namespace"].string, let name = meta["name"].string, let uid = meta["uid"].string else { return }
        let selector = try LabelSelector(json: deployment["spec"]["selector"])
        var owned = ControllerIndexes.controlled(by: uid, in: replicaSets).filter { OwnerReferences.isControlled($0, byKind: Self.kind, uid: uid) }
        for replicaSet in ControllerIndexes.orphans(in: namespace, of: replicaSets) where selector.matches(labels: replicaSet["metadata"]["labels"]) {
            if let adopted = try await adopt(replicaSet, by: deployment) { owned.append(adopted) }
        }
        owned.sort { created($0) < created($1) }
        let template = deployment["spec"]["template"]
        var newSet = owned.first { PodTemplateHash.equalIgnoringHash($0["spec"]["template"], template) }
        var old = owned.filter { $0["metadata"]["uid"] != newSet?["metadata"]["uid"] }
        let paused = deployment["spec"]["paused"].bool ?? false
        let replicas = Int(deployment["spec"]["replicas"].int ?? 1)
        let rolling = Self.rollingUpdate(deployment, replicas: replicas)
        let maxRevision = owned.compactMap(Self.revision).max() ?? 0
        var createdNew = false

        if newSet == nil, !paused {
            newSet = try await createNewSet(deployment, old: old, revision: maxRevision + 1, rolling: rolling)
            createdNew = newSet != nil
        } else if let current = newSet, (Self.revision(current) ?? 0) < maxRevision {
            // A rollback to an older template: that replica set becomes the latest revision.
            newSet = try await patchReplicaSet(current, ["metadata": ["annotations": [Self.revisionAnnotation: .string(String(maxRevision + 1))]]])
        }
        if let newSet, let revision = newSet["metadata"]["annotations"][Self.revisionAnnotation].string,
            deployment["metadata"]["annotations"][Self.revisionAnnotation].string != revision
        {
            _ = try await client.patch(.deployments, namespace: namespace, name: name, ["metadata": ["annotations": [Self.revisionAnnotation: .string(revision)]]], type: .merge)
        }

        if !paused, let current = newSet {
            if deployment["spec"]["strategy"]["type"].string == "Recreate" {
                (newSet, old) = try await recreate(deployment, new: current, old: old, replicas: replicas)
            } else {
                (newSet, old) = try await roll(deployment, new: current, old: old, rolling: rolling)
            }
        } else if paused, let current = newSet, old.allSatisfy({ ($0["spec"]["replicas"].int ?? 0) == 0 }), Int(current["spec"]["replicas"].int ?? 0) != replicas {
            newSet = try await scale(current, to: replicas, deployment: deployment)
        }

        let complete = try await writeStatus(deployment, new: newSet, old: old, rolling: rolling, paused: paused, createdNew: createdNew)
        if complete, !paused { try await pruneHistory(deployment, old: old) }
    }

    // MARK: - Strategies

    private func roll(_ deployment: JSON, new: JSON, old: [JSON], rolling: RollingUpdate) async throws -> (JSON, [JSON]) {
        var new = new
        var old = old
        let oldSets = old.map(Self.rolloutSet)
        var newState = Self.rolloutSet(new)
        var target = newState.replicas > rolling.replicas ? rolling.replicas : rolling.newReplicas(new: newState, old: oldSets)
        let pacing = UpdatePacing(deployment)
        if let pacing { target = paced(target, new: newState, pacing: pacing, key: ObjectCache.key(for: deployment)) }
        if target != newState.replicas {
            new = try await scale(new, to: target, deployment: deployment)
            newState.replicas = target
        }
        var targets = rolling.oldReplicas(new: newState, old: oldSets)
        if let pacing { targets = pacing.limitShrink(targets: targets, old: oldSets) }
        for index in old.indices where targets[index] != oldSets[index].replicas {
            old[index] = try await scale(old[index], to: targets[index], deployment: deployment)
        }
        return (new, old)
    }

    /// The new replica set's target under `pacing`: at most `parallelism` pods in flight, and
    /// no new batch before `delay` has passed since the last one became available (the
    /// deployment is looked at again then).
    private func paced(_ target: Int, new: RollingUpdate.Set, pacing: UpdatePacing, key: String) -> Int {
        var target = pacing.limitGrowth(target: target, new: new)
        guard pacing.delay > .zero, target > new.replicas, new.replicas > 0 else { return target }
        let now = ContinuousClock.now
        let batch = batches.withLock { batches -> (replicas: Int, at: ContinuousClock.Instant)? in
            if new.available >= new.replicas, batches[key]?.replicas != new.replicas { batches[key] = (new.replicas, now) }
            return batches[key]
        }
        guard new.available >= new.replicas, let batch, batch.replicas == new.replicas else { return new.replicas }
        let ready = batch.at + pacing.delay
        if now < ready {
            target = new.replicas
            queue.addAfter(key, delay: ready - now)
        }
        return target
    }

    private func recreate(_ deployment: JSON, new: JSON, old: [JSON], replicas: Int) async throws -> (JSON, [JSON]) {
        var old = old
        for index in old.indices where (old[index]["spec"]["replicas"].int ?? 0) > 0 {
            old[index] = try await scale(old[index], to: 0, deployment: deployment)
        }
        let oldUIDs = Set(old.compactMap { $0["metadata"]["uid"].string })
        let namespace = deployment["metadata"]["namespace"].string ?? ""
        let oldPodsLeft = pods.cache.list(namespace: namespace).contains { pod in
            guard let owner = OwnerReferences.controllerUID(of: pod) else { return false }
            return oldUIDs.contains(owner)
        }
        guard !oldPodsLeft, Int(new["spec"]["replicas"].int ?? 0) != replicas else { return (new, old) }
        return (try await scale(new, to: replicas, deployment: deployment), old)
    }

    // MARK: - Replica sets

    /// Makes the replica set of the deployment's current template.
    private func createNewSet(_ deployment: JSON, old: [JSON], revision: Int, rolling: RollingUpdate) async throws -> JSON? {
        let meta = deployment["metadata"]
        let template = deployment["spec"]["template"]
        let collisions = deployment["status"]["collisionCount"].int ?? 0
        let hash = PodTemplateHash.of(template, collisionCount: collisions)
        var labeled = template
        labeled[path: ["metadata", "labels", PodTemplateHash.label]] = .string(hash)
        var selector = deployment["spec"]["selector"]
        selector[path: ["matchLabels", PodTemplateHash.label]] = .string(hash)
        let recreate = deployment["spec"]["strategy"]["type"].string == "Recreate"
        let empty = RollingUpdate.Set(name: "", replicas: 0, available: 0)
        var replicas = recreate ? 0 : rolling.newReplicas(new: empty, old: old.map(Self.rolloutSet))
        if let pacing = UpdatePacing(deployment) { replicas = pacing.limitGrowth(target: replicas, new: empty) }
        let name = (meta["name"].string ?? "") + "-" + hash
        var annotations: JSONObject = [:]
        for (key, value) in meta["annotations"].object ?? [:] where !Self.ownAnnotations.contains(key) && key != "kubectl.kubernetes.io/last-applied-configuration" {
            annotations[key] = value
        }
        annotations[Self.revisionAnnotation] = .string(String(revision))
        annotations["deployment.kubernetes.io/desired-replicas"] = .string(String(rolling.replicas))
        annotations["deployment.kubernetes.io/max-replicas"] = .string(String(rolling.replicas + rolling.maxSurge))
        let replicaSet: JSON = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name), "namespace": meta["namespace"], "labels": labeled["metadata"]["labels"],
                "annotations": .object(annotations),
                "ownerReferences": [OwnerReferences.controllerReference(to: deployment, apiVersion: Self.apiVersion, kind: Self.kind)],
            ],
            "spec": [
                "replicas": .int(Int64(replicas)), "minReadySeconds": deployment["spec"]["minReadySeconds"].isNull ? 0 : deployment["spec"]["minReadySeconds"],
                "selector": selector, "template": labeled,
            ],
        ]
        do {
            let made = try await client.create(.replicaSets, replicaSet)
            events.record(deployment, apiVersion: Self.apiVersion, kind: Self.kind, reason: "ScalingReplicaSet", message: "Scaled up replica set \(name) to \(replicas)")
            return made
        } catch let error as FlotillaError where error.code == .alreadyExists {
            // Ours from a sync the cache has not seen yet, or a hash collision: count it, try again.
            let existing = try await client.get(.replicaSets, namespace: meta["namespace"].string, name: name)
            if OwnerReferences.isControlled(existing, byKind: Self.kind, uid: meta["uid"].string ?? ""),
                PodTemplateHash.equalIgnoringHash(existing["spec"]["template"], template)
            {
                return existing
            }
            _ = try await client.patch(.deployments, namespace: meta["namespace"].string, name: meta["name"].string ?? "", ["status": ["collisionCount": .int(collisions + 1)]], type: .merge, subresource: "status")
            return nil
        }
    }

    /// Annotations the controller keeps for itself, not copied onto replica sets.
    static let ownAnnotations: Set<String> = [revisionAnnotation, "deployment.kubernetes.io/revision-history"]

    private func scale(_ replicaSet: JSON, to replicas: Int, deployment: JSON) async throws -> JSON {
        let from = Int(replicaSet["spec"]["replicas"].int ?? 0)
        let updated = try await patchReplicaSet(replicaSet, ["spec": ["replicas": .int(Int64(replicas))]])
        let direction = replicas > from ? "up" : "down"
        events.record(
            deployment, apiVersion: Self.apiVersion, kind: Self.kind, reason: "ScalingReplicaSet",
            message: "Scaled \(direction) replica set \(replicaSet["metadata"]["name"].string ?? "") from \(from) to \(replicas)")
        return updated
    }

    private func patchReplicaSet(_ replicaSet: JSON, _ patch: JSON) async throws -> JSON {
        try await client.patch(.replicaSets, namespace: replicaSet["metadata"]["namespace"].string, name: replicaSet["metadata"]["name"].string ?? "", patch, type: .merge)
    }

    private func adopt(_ replicaSet: JSON, by deployment: JSON) async throws -> JSON? {
        var references = OwnerReferences.all(of: replicaSet)
        references.append(OwnerReferences.controllerReference(to: deployment, apiVersion: Self.apiVersion, kind: Self.kind))
        do {
            return try await patchReplicaSet(replicaSet, ["metadata": ["ownerReferences": .array(references), "resourceVersion": replicaSet["metadata"]["resourceVersion"]]])
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            return nil
        }
    }

    /// Deletes the oldest empty old replica sets beyond `revisionHistoryLimit` (default 10).
    private func pruneHistory(_ deployment: JSON, old: [JSON]) async throws {
        let limit = Int(deployment["spec"]["revisionHistoryLimit"].int ?? 10)
        let empty = old.filter { ($0["spec"]["replicas"].int ?? 0) == 0 && ($0["status"]["replicas"].int ?? 0) == 0 }
            .sorted { (Self.revision($0) ?? 0) < (Self.revision($1) ?? 0) }
        for replicaSet in empty.prefix(max(0, empty.count - limit)) {
            do {
                _ = try await client.delete(.replicaSets, namespace: replicaSet["metadata"]["namespace"].string, name: replicaSet["metadata"]["name"].string ?? "")
            } catch let error as FlotillaError where error.code == .notFound {}
        }
    }

    // MARK: - Status

    /// Writes the deployment's status and conditions; returns whether the rollout is complete.
    private func writeStatus(_ deployment: JSON, new: JSON?, old: [JSON], rolling: RollingUpdate, paused: Bool, createdNew: Bool) async throws -> Bool {
        let all = (new.map { [$0] } ?? []) + old
        let count = { (field: String) in Int64(all.reduce(0) { $0 + Int($1["status"][field].int ?? 0) }) }
        let specTotal = Int64(all.reduce(0) { $0 + Int($1["spec"]["replicas"].int ?? 0) })
        let replicas = Int64(rolling.replicas)
        let updated = new?["status"]["replicas"].int ?? 0
        let available = count("availableReplicas")
        let total = count("replicas")
        let previous = deployment["status"]
        var status: JSON = previous.object == nil ? .emptyObject : previous
        status["observedGeneration"] = deployment["metadata"]["generation"]
        status["replicas"] = .int(total)
        status["updatedReplicas"] = .int(updated)
        status["readyReplicas"] = .int(count("readyReplicas"))
        status["availableReplicas"] = .int(available)
        status["unavailableReplicas"] = .int(max(0, specTotal - available))

        let now = Timestamp.now()
        var conditions = previous["conditions"].array ?? []
        conditions = available >= replicas - Int64(rolling.maxUnavailable)
            ? DeploymentConditions.set(conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now)
            : DeploymentConditions.set(conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", now: now)
        let newName = new?["metadata"]["name"].string ?? ""
        let complete = new != nil && updated == replicas && total == replicas && available == replicas
        let progressing = DeploymentConditions.find(conditions, "Progressing")
        let progressed = updated > previous["updatedReplicas"].int ?? 0 || available > previous["availableReplicas"].int ?? 0
        let deadline = deployment["spec"]["progressDeadlineSeconds"].int ?? 600
        if paused {
            conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", now: now)
        } else if progressing?["reason"].string == "DeploymentPaused" {
            conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed", now: now, touch: true)
        } else if complete {
            conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: "ReplicaSet \"\(newName)\" has successfully progressed.", now: now)
        } else if createdNew {
            conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "True", reason: "NewReplicaSetCreated", message: "Created new replica set \"\(newName)\"", now: now, touch: true)
        } else if progressed || progressing == nil || progressing?["reason"].string == "NewReplicaSetAvailable" {
            conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "ReplicaSet \"\(newName)\" is progressing.", now: now, touch: true)
        } else if let since = progressing?["lastUpdateTime"].string.flatMap(Timestamp.parse), progressing?["reason"].string != "ProgressDeadlineExceeded" {
            let remaining = Double(deadline) - Date().timeIntervalSince(since)
            if remaining <= 0 {
                conditions = DeploymentConditions.set(conditions, type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"\(newName)\" has timed out progressing.", now: now)
                events.record(deployment, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "ProgressDeadlineExceeded", message: "Deployment \"\(deployment["metadata"]["name"].string ?? "")\" has timed out progressing.")
                if deployment["metadata"]["annotations"][Self.autoRollbackAnnotation].string == "true", let new {
                    try await rollBack(deployment, from: new, old: old)
                }
            } else {
                queue.addAfter(ObjectCache.key(for: deployment), delay: .milliseconds(Int64(remaining * 1000) + 100))
            }
        }
        status["conditions"] = .array(conditions)
        try await StatusPatch.write(status, to: deployment, .deployments, client: client)
        return complete && old.allSatisfy { ($0["status"]["replicas"].int ?? 0) == 0 }
    }

    // MARK: - Automatic rollback

    /// Opt-in per deployment: a rollout that exceeds its progress deadline is rolled back.
    static let autoRollbackAnnotation = "flotilla.io/auto-rollback"

    /// Puts the template of the previous revision back, with an event saying what failed.
    private func rollBack(_ deployment: JSON, from new: JSON, old: [JSON]) async throws {
        let current = Self.revision(new) ?? 0
        guard let previous = old.filter({ (Self.revision($0) ?? 0) < current }).max(by: { (Self.revision($0) ?? 0) < (Self.revision($1) ?? 0) }) else {
            events.record(deployment, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "AutoRollbackFailed",
                          message: "Rollout of revision \(current) failed (\(failure(of: new))) and there is no earlier revision to go back to")
            return
        }
        let template = PodTemplateHash.withoutHash(previous["spec"]["template"])
        _ = try await client.patch(
            .deployments, namespace: deployment["metadata"]["namespace"].string, name: deployment["metadata"]["name"].string ?? "",
            [["op": "replace", "path": "/spec/template", "value": template]], type: .json)
        events.record(
            deployment, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "RolledBack",
            message: "Rollout of revision \(current) failed (\(failure(of: new))); rolled back to revision \(Self.revision(previous) ?? 0)")
    }

    /// Why the pods of `replicaSet` are not available, in a few words: the waiting or
    /// termination reasons of their containers, counted (`2 pods ImagePullBackOff`).
    private func failure(of replicaSet: JSON) -> String {
        let uid = replicaSet["metadata"]["uid"].string ?? ""
        var reasons: [String: Int] = [:]
        for pod in ControllerIndexes.controlled(by: uid, in: pods) {
            guard !PodState.isReady(pod) else { continue }
            let statuses = pod["status"]["containerStatuses"].array ?? []
            let reason = statuses.lazy.compactMap { $0["state"]["waiting"]["reason"].string ?? $0["lastState"]["terminated"]["reason"].string }.first
                ?? (pod["status"]["phase"].string ?? "Pending")
            reasons[reason, default: 0] += 1
        }
        guard !reasons.isEmpty else { return "no progress within the deadline" }
        return reasons.sorted { $0.value > $1.value }.map { "\($0.value) pod\($0.value == 1 ? "" : "s") \($0.key)" }.joined(separator: ", ")
    }

    // MARK: - Reading

    static func rollingUpdate(_ deployment: JSON, replicas: Int) -> RollingUpdate {
        let spec = deployment["spec"]["strategy"]["rollingUpdate"]
        return RollingUpdate(
            replicas: replicas, maxSurge: intOrPercent(spec["maxSurge"], default: .percent(25)),
            maxUnavailable: intOrPercent(spec["maxUnavailable"], default: .percent(25)))
    }

    static func intOrPercent(_ value: JSON, default fallback: IntOrPercent) -> IntOrPercent {
        if let n = value.int { return .count(Int(n)) }
        if let text = value.string, text.hasSuffix("%"), let p = Int(text.dropLast()) { return .percent(p) }
        return fallback
    }

    static func revision(_ replicaSet: JSON) -> Int? {
        replicaSet["metadata"]["annotations"][revisionAnnotation].string.flatMap { Int($0) }
    }

    static func rolloutSet(_ replicaSet: JSON) -> RollingUpdate.Set {
        RollingUpdate.Set(
            name: replicaSet["metadata"]["name"].string ?? "", replicas: Int(replicaSet["spec"]["replicas"].int ?? 0),
            available: Int(replicaSet["status"]["availableReplicas"].int ?? 0), pods: Int(replicaSet["status"]["replicas"].int ?? 0))
    }

    private func created(_ object: JSON) -> Date {
        object["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? .distantPast
    }
}
