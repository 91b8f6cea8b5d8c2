import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Runs each Job's pods to completion, as Kubernetes' job controller does: creates pods from
/// `spec.template` up to `parallelism` until `completions` succeeded (or, without completions,
/// until one succeeded and the rest finished), one per index for `completionMode: Indexed`;
/// waits ``JobBackoff`` after failures and fails the job past `backoffLimit` or
/// `activeDeadlineSeconds`; deletes the active pods of a suspended job and starts again on
/// resume; deletes a finished job `ttlSecondsAfterFinished` later. A job with
/// ``JobDependencies`` starts only once the jobs it names are Complete.
///
/// Counts are kept in `status` and only grow: a finished pod that is deleted stays counted.
/// Level-triggered from the job and pod informers; ``Expectations`` keep it from acting twice on
/// a cache that has not yet seen its own writes.
final class JobController: Sendable {
    static let kind = "Job"
    static let apiVersion = "batch/v1"
    /// The most pods created or deleted in one sync.
    static let burst = 500

    private let client: KubernetesClient
    private let jobs: Informer
    private let pods: Informer
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()
    private let expectations = Expectations()
    private let written = WrittenStatuses()
    /// The unmet dependencies last reported per waiting job, so each change is reported once.
    private let reportedWaits = Locked<[String: [String]]>([:])

    init(client: KubernetesClient, jobs: Informer, pods: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.jobs = jobs
        self.pods = pods
        self.events = events
        self.logger = logger
        jobs.onAdd { [weak self] in self?.jobChanged($0) }
        jobs.onUpdate { [weak self] _, new in self?.jobChanged(new) }
        jobs.onDelete { [weak self] job in
            guard let self else { return }
            let key = ObjectCache.key(for: job)
            self.expectations.forget(key)
            self.written.forget(key)
            self.reportedWaits.withLock { $0[key] = nil }
            self.jobChanged(job)
        }
        pods.onAdd { [weak self] pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.expectations.observedAdd(key)
            self.queue.add(key)
        }
        pods.onUpdate { [weak self] _, new in
            guard let self, let key = self.ownerKey(new) else { return }
            self.queue.add(key)
        }
        pods.onDelete { [weak self] pod in
            guard let self, let key = self.ownerKey(pod) else { return }
            self.expectations.observedDelete(key)
            self.queue.add(key)
        }
    }

    /// Syncs jobs with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    /// Queues the job and every job of its namespace that waits for it.
    private func jobChanged(_ job: JSON) {
        queue.add(ObjectCache.key(for: job))
        guard let namespace = job["metadata"]["namespace"].string, let name = job["metadata"]["name"].string else { return }
        for other in jobs.cache.list(namespace: namespace) where JobDependencies.names(other).contains(name) {
            queue.add(ObjectCache.key(for: other))
        }
    }

    /// The key of the job controlling `pod`, if one does.
    private func ownerKey(_ pod: JSON) -> String? {
        OwnerReferences.controllerKey(of: pod, kind: Self.kind)
    }

    func sync(_ key: String) async throws {
        guard let cached = jobs.cache.get(key: key) else { return }
        let job = written.current(cached, key: key)
        let meta = job["metadata"]
        guard let namespace = meta["namespace"].string, let uid = meta["uid"].string, meta["deletionTimestamp"].isNull else { return }
        let now = Date()
        let owned = ControllerIndexes.controlled(by: uid, in: pods).filter { OwnerReferences.isControlled($0, byKind: Self.kind, uid: uid) }
        let active = owned.filter(PodState.isActive)
        if JobConditions.finished(job) != nil {
            if !active.isEmpty, expectations.satisfied(key) { try await delete(active, of: job, key: key) }
            try await expireIfDue(job, key: key, now: now)
            return
        }
        let spec = job["spec"]
        var status = job["status"].object != nil ? job["status"] : .emptyObject
        var conditions = status["conditions"].array ?? []

        // What the finished pods add to the counts.
        let completions = spec["completions"].int.map { Int($0) }
        let indexed = spec["completionMode"].string == "Indexed" && completions != nil
        let succeededPods = owned.filter { $0["status"]["phase"].string == "Succeeded" }
        let failedPods = owned.filter { $0["status"]["phase"].string == "Failed" }
        var completed = Set<Int>()
        if indexed, let completions {
            completed = CompletionIndexes.parse(status["completedIndexes"].string ?? "", limit: completions)
            completed.formUnion(succeededPods.compactMap(JobPods.index).filter { $0 < completions })
            status["completedIndexes"] = completed.isEmpty ? .null : .string(CompletionIndexes.format(completed))
        }
        let succeeded = indexed ? completed.count : max(Int(status["succeeded"].int ?? 0), succeededPods.count)
        let failed = max(Int(status["failed"].int ?? 0), failedPods.count)
        var activeCount = active.count

        if spec["suspend"].bool == true {
            if !active.isEmpty, expectations.satisfied(key) {
                try await delete(active, of: job, key: key)
                activeCount = 0
            }
            if !JobConditions.isTrue(job, "Suspended") {
                conditions = JobConditions.setting(conditions, type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: now)
                events.record(job, apiVersion: Self.apiVersion, kind: Self.kind, reason: "Suspended", message: "Job suspended")
            }
            return try await write(
                status, of: job, conditions: conditions, succeeded: succeeded, failed: failed, active: activeCount == 0 ? [] : active,
                activeCount: activeCount)
        }

        var finish: (reason: String, message: String)?
        // Dependencies gate a job that has not run yet.
        if owned.isEmpty, succeeded == 0, failed == 0 {
            switch JobDependencies.verdict(of: job, lookup: { jobs.cache.get(namespace: namespace, name: $0) }) {
            case .failed(let names):
                finish = ("DependencyFailed", "Job depends on failed jobs: " + names.joined(separator: ", "))
            case .waiting(let names):
                reportWaiting(job, key: key, names: names)
                return try await write(status, of: job, conditions: conditions, succeeded: 0, failed: 0, active: [], activeCount: 0)
            case .met:
                reportedWaits.withLock { $0[key] = nil }
            }
        }

        if JobConditions.isTrue(job, "Suspended") {
            conditions = JobConditions.setting(conditions, type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed", now: now)
            status["startTime"] = .string(Timestamp.format(now))
            events.record(job, apiVersion: Self.apiVersion, kind: Self.kind, reason: "Resumed", message: "Job resumed")
        }
        if finish == nil, status["startTime"].isNull { status["startTime"] = .string(Timestamp.format(now)) }
        if finish == nil, let deadline = spec["activeDeadlineSeconds"].int, let start = status["startTime"].string.flatMap(Timestamp.parse) {
            let left = start.addingTimeInterval(Double(deadline)).timeIntervalSince(now)
            if left <= 0 {
                finish = ("DeadlineExceeded", "Job was active longer than specified deadline")
            } else {
                queue.addAfter(key, delay: .milliseconds(Int64((left * 1000).rounded(.up))))
            }
        }
        if finish == nil, failed > Int(spec["backoffLimit"].int ?? 6) {
            finish = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
        }
        if let finish {
            conditions = JobConditions.setting(conditions, type: "FailureTarget", status: "True", reason: finish.reason, message: finish.message, now: now)
            conditions = JobConditions.setting(conditions, type: "Failed", status: "True", reason: finish.reason, message: finish.message, now: now)
            events.record(job, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: finish.reason, message: finish.message)
            // The pods still running (or being stopped) are stopped and count as failed, as in Kubernetes.
            let unfinished = owned.filter { !["Succeeded", "Failed"].contains($0["status"]["phase"].string ?? "") }.count
            try await write(status, of: job, conditions: conditions, succeeded: succeeded, failed: failed + unfinished, active: [], activeCount: 0)
            if !active.isEmpty, expectations.satisfied(key) { try await delete(active, of: job, key: key) }
            return
        }

        let complete: Bool
        if indexed, let completions {
            complete = completed.count >= completions
        } else if let completions {
            complete = succeeded >= completions
        } else {
            complete = succeeded > 0 && active.isEmpty
        }
        if complete {
            conditions = JobConditions.setting(conditions, type: "SuccessCriteriaMet", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: now)
            conditions = JobConditions.setting(conditions, type: "Complete", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", now: now)
            if status["completionTime"].isNull { status["completionTime"] = .string(Timestamp.format(now)) }
            events.record(job, apiVersion: Self.apiVersion, kind: Self.kind, reason: "Completed", message: "Job completed")
            try await write(status, of: job, conditions: conditions, succeeded: succeeded, failed: failed, active: [], activeCount: 0)
            if !active.isEmpty, expectations.satisfied(key) { try await delete(active, of: job, key: key) }
            return
        }

        if expectations.satisfied(key) {
            let plan = plan(job, active: active, succeeded: succeeded, completed: completed, indexed: indexed)
            if !plan.surplus.isEmpty {
                try await delete(plan.surplus, of: job, key: key)
                activeCount -= plan.surplus.count
            }
            if !plan.create.isEmpty {
                let wait = JobBackoff.remaining(pods: owned, now: now)
                if wait > .zero {
                    queue.addAfter(key, delay: wait)
                } else {
                    activeCount += try await create(plan.create, for: job, key: key)
                }
            }
        }
        try await write(status, of: job, conditions: conditions, succeeded: succeeded, failed: failed, active: active, activeCount: activeCount)
    }

    /// The pods to delete and the pods to create (by index, nil when not indexed) to bring the
    /// active pods to what the job wants now.
    private func plan(_ job: JSON, active: [JSON], succeeded: Int, completed: Set<Int>, indexed: Bool) -> (surplus: [JSON], create: [Int?]) {
        let spec = job["spec"]
        let parallelism = Int(spec["parallelism"].int ?? 1)
        let completions = spec["completions"].int.map { Int($0) }
        guard indexed, let completions else {
            let wanted: Int
            if let completions {
                wanted = min(parallelism, max(0, completions - succeeded))
            } else {
                wanted = succeeded > 0 ? active.count : parallelism
            }
            if active.count > wanted { return (Array(ReplicaSetPods.deletionOrder(active).prefix(active.count - wanted)), []) }
            return ([], Array(repeating: nil, count: min(wanted - active.count, Self.burst)))
        }
        // One active pod per index that is still to complete, lowest indexes first.
        var kept: [Int: JSON] = [:]
        var surplus: [JSON] = []
        for pod in active {
            if let index = JobPods.index(of: pod), index < completions, !completed.contains(index), kept[index] == nil {
                kept[index] = pod
            } else {
                surplus.append(pod)
            }
        }
        let keptIndexes = kept.keys.sorted()
        if keptIndexes.count > parallelism {
            surplus += keptIndexes.suffix(keptIndexes.count - parallelism).compactMap { kept[$0] }
            return (surplus, [])
        }
        let pending = (0..<completions).filter { !completed.contains($0) && kept[$0] == nil }
        return (surplus, Array(pending.prefix(min(parallelism - keptIndexes.count, Self.burst))))
    }

    private var podControl: PodControl {
        PodControl(client: client, events: events, expectations: expectations, apiVersion: Self.apiVersion, kind: Self.kind)
    }

    /// Creates one pod per entry of `indexes`; returns how many were created.
    private func create(_ indexes: [Int?], for job: JSON, key: String) async throws -> Int {
        let reference = OwnerReferences.controllerReference(to: job, apiVersion: Self.apiVersion, kind: Self.kind)
        return try await podControl.create(indexes.map { JobPods.make(job: job, ownerReference: reference, index: $0) }, of: job, key: key).count
    }

    /// Deletes `victims` (at most ``burst``), recording an event for each.
    private func delete(_ victims: [JSON], of job: JSON, key: String) async throws {
        try await podControl.delete(Array(victims.prefix(Self.burst)), of: job, key: key)
    }

    /// Records a WaitingForDependencies event when the unmet dependencies changed.
    private func reportWaiting(_ job: JSON, key: String, names: [String]) {
        let changed = reportedWaits.withLock { reported in
            defer { reported[key] = names }
            return reported[key] != names
        }
        guard changed else { return }
        events.record(
            job, apiVersion: Self.apiVersion, kind: Self.kind, reason: "WaitingForDependencies",
            message: "Waiting for jobs to complete: " + names.joined(separator: ", "))
    }

    /// Deletes a finished job whose `ttlSecondsAfterFinished` has passed (its pods go in the
    /// background), or queues it again for then.
    private func expireIfDue(_ job: JSON, key: String, now: Date) async throws {
        guard let ttl = job["spec"]["ttlSecondsAfterFinished"].int, let finishedAt = JobConditions.finishedAt(job) else { return }
        let left = finishedAt.addingTimeInterval(Double(ttl)).timeIntervalSince(now)
        guard left <= 0 else {
            queue.addAfter(key, delay: .milliseconds(Int64((left * 1000).rounded(.up))))
            return
        }
        do {
            try await client.delete(
                .jobs, namespace: job["metadata"]["namespace"].string, name: job["metadata"]["name"].string ?? "",
                propagationPolicy: .background, preconditions: Preconditions(uid: job["metadata"]["uid"].string))
            logger.debug("deleted a finished job after its ttl", metadata: ["job": .string(key)])
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
    }

    /// Writes the job's status when it changed.
    private func write(
        _ status: JSON, of job: JSON, conditions: [JSON], succeeded: Int, failed: Int, active: [JSON], activeCount: Int
    ) async throws {
        var status = status
        status["active"] = activeCount > 0 ? .int(Int64(activeCount)) : .null
        status["succeeded"] = succeeded > 0 ? .int(Int64(succeeded)) : .null
        status["failed"] = failed > 0 ? .int(Int64(failed)) : .null
        status["ready"] = .int(Int64(active.filter(PodState.isReady).count))
        status["conditions"] = conditions.isEmpty ? .null : .array(conditions)
        guard let patch = StatusPatch.between(old: job["status"], new: status) else { return }
        do {
            _ = try await client.patch(
                .jobs, namespace: job["metadata"]["namespace"].string, name: job["metadata"]["name"].string ?? "", patch, type: .merge,
                subresource: "status")
            written.wrote(status, over: job, key: ObjectCache.key(for: job))
        } catch let error as FlotillaError where error.code == .notFound {}
    }
}
