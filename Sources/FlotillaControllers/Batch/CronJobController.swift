import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Creates a CronJob's Jobs on its schedule, as Kubernetes' cron job controller does: at each
/// sync the latest run time not yet met since `status.lastScheduleTime` (or the cron job's
/// creation) is run once, if it lies within `startingDeadlineSeconds`, respecting
/// `concurrencyPolicy` (Allow, Forbid, Replace) and `suspend`; finished Jobs beyond the history
/// limits are deleted, oldest first; `status.active`, `lastScheduleTime` and
/// `lastSuccessfulTime` follow the Jobs. Each cron job is queued again for its next run time.
///
/// A run's Job is named ``CronJobSchedule/jobName(cronJob:scheduled:)``: a create that finds it
/// already there means the run happened (before a restart, or on a stale cache), so no run is
/// ever doubled. ``WrittenStatuses`` keep a sync on a lagging cache from undoing the last
/// status write. The cron job's `flotilla.io/after` annotation is copied to its Jobs.
final class CronJobController: Sendable {
    static let kind = "CronJob"
    static let apiVersion = "batch/v1"
    static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// More missed runs than this are reported (the latest still runs).
    static let missedRunsWarning = 100

    private let client: KubernetesClient
    private let cronJobs: Informer
    private let jobs: Informer
    private let events: EventRecorder
    private let logger: Logger
    private let queue = WorkQueue<String>()
    private let written = WrittenStatuses()

    init(client: KubernetesClient, cronJobs: Informer, jobs: Informer, events: EventRecorder, logger: Logger) {
        self.client = client
        self.cronJobs = cronJobs
        self.jobs = jobs
        self.events = events
        self.logger = logger
        cronJobs.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        cronJobs.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        cronJobs.onDelete { [written] in written.forget(ObjectCache.key(for: $0)) }
        jobs.onAdd { [weak self] in self?.enqueueOwner(of: $0) }
        jobs.onUpdate { [weak self] _, new in self?.enqueueOwner(of: new) }
        jobs.onDelete { [weak self] in self?.enqueueOwner(of: $0) }
    }

    /// Syncs cron jobs with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func enqueueOwner(of job: JSON) {
        guard let ref = OwnerReferences.controller(of: job), ref["kind"].string == Self.kind,
            let name = ref["name"].string, let namespace = job["metadata"]["namespace"].string
        else { return }
        queue.add(namespace + "/" + name)
    }

    func sync(_ key: String) async throws {
        guard let cached = cronJobs.cache.get(key: key) else { return }
        let cronJob = written.current(cached, key: key)
        let meta = cronJob["metadata"]
        guard let namespace = meta["namespace"].string, let name = meta["name"].string, let uid = meta["uid"].string,
            meta["deletionTimestamp"].isNull
        else { return }
        let now = Date()
        let spec = cronJob["spec"]
        var status = cronJob["status"].object != nil ? cronJob["status"] : .emptyObject
        let owned = jobs.cache.list(namespace: namespace).filter { OwnerReferences.isControlled($0, byKind: Self.kind, uid: uid) }
        var running = owned.filter { JobConditions.finished($0) == nil }.sorted { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }

        let wasActive = Set((status["active"].array ?? []).compactMap { $0["uid"].string })
        for job in owned where wasActive.contains(job["metadata"]["uid"].string ?? "") {
            guard let condition = JobConditions.finished(job) else { continue }
            events.record(
                cronJob, apiVersion: Self.apiVersion, kind: Self.kind, reason: "SawCompletedJob",
                message: "Saw completed job: \(job["metadata"]["name"].string ?? ""), condition: \(condition["type"].string ?? "")")
        }
        let lastSuccess = owned.filter { JobConditions.isTrue($0, "Complete") }.compactMap { $0["status"]["completionTime"].string.flatMap(Timestamp.parse) }.max()
        if let lastSuccess, lastSuccess > (status["lastSuccessfulTime"].string.flatMap(Timestamp.parse) ?? .distantPast) {
            status["lastSuccessfulTime"] = .string(Timestamp.format(lastSuccess))
        }
        try await trimHistory(cronJob, owned: owned)

        guard let schedule = resolveSchedule(cronJob), spec["suspend"].bool != true else {
            return try await write(status, of: cronJob, running: running)
        }
        defer {
            if let next = schedule.next(after: now) {
                queue.addAfter(key, delay: .milliseconds(Int64((next.timeIntervalSince(now) * 1000).rounded(.up)) + 100))
            }
        }
        let lastRun = [
            status["lastScheduleTime"].string.flatMap(Timestamp.parse), meta["creationTimestamp"].string.flatMap(Timestamp.parse),
        ].compactMap { $0 }.first ?? now
        let due = schedule.due(lastRun: lastRun, startingDeadline: spec["startingDeadlineSeconds"].int.map { Double($0) }, now: now)
        let zone = spec["timeZone"].string.flatMap(CronJobSchedule.zone(named:))
        if due.missed > Self.missedRunsWarning {
            events.record(
                cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "TooManyMissedTimes",
                message: "too many missed start times: \(due.missed). Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        }
        if let tooLate = due.tooLate {
            events.record(
                cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "MissSchedule",
                message: "Missed scheduled time to start a job: \(CronJobSchedule.timestamp(tooLate, in: zone))")
        }
        guard let runAt = due.run else { return try await write(status, of: cronJob, running: running) }
        let jobName = CronJobSchedule.jobName(cronJob: name, scheduled: runAt)
        if owned.contains(where: { $0["metadata"]["name"].string == jobName }) {
            // This run happened; the status did not say so yet.
            status["lastScheduleTime"] = .string(Timestamp.format(runAt))
            return try await write(status, of: cronJob, running: running)
        }
        switch spec["concurrencyPolicy"].string ?? "Allow" {
        case "Forbid" where !running.isEmpty:
            logger.debug("a run waits for the previous one (concurrencyPolicy Forbid)", metadata: ["cronjob": .string(key)])
            return try await write(status, of: cronJob, running: running)
        case "Replace":
            for job in running { try await deleteJob(job, of: cronJob) }
            running = []
        default:
            break
        }
        let made = try await createJob(for: cronJob, named: jobName, at: runAt, zone: zone)
        if let made, JobConditions.finished(made) == nil { running.append(made) }
        status["lastScheduleTime"] = .string(Timestamp.format(runAt))
        try await write(status, of: cronJob, running: running)
    }

    /// The cron job's schedule in its zone; nil (after a warning event) when either is invalid.
    private func resolveSchedule(_ cronJob: JSON) -> CronJobSchedule? {
        let spec = cronJob["spec"]
        var zone: TimeZone?
        if let name = spec["timeZone"].string {
            guard let named = CronJobSchedule.zone(named: name) else {
                events.record(
                    cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "UnknownTimeZone",
                    message: "invalid timeZone: \"\(name)\": unknown time zone \(name)")
                return nil
            }
            zone = named
        }
        let text = spec["schedule"].string ?? ""
        do {
            return try CronJobSchedule(text, timeZone: zone)
        } catch {
            events.record(
                cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "UnparseableSchedule",
                message: "unparseable schedule: \"\(text)\" : \(error.message)")
            return nil
        }
    }

    /// Creates the run's Job; when it exists already and is this cron job's, that is the run.
    /// Returns the Job, or nil when another owner holds the name.
    private func createJob(for cronJob: JSON, named jobName: String, at runAt: Date, zone: TimeZone?) async throws -> JSON? {
        let template = cronJob["spec"]["jobTemplate"]
        var annotations = template["metadata"]["annotations"]
        annotations[Self.scheduledTimestampAnnotation] = .string(CronJobSchedule.timestamp(runAt, in: zone))
        if let after = cronJob["metadata"]["annotations"][JobDependencies.annotation].string, annotations[JobDependencies.annotation].isNull {
            annotations[JobDependencies.annotation] = .string(after)
        }
        var metadata: JSON = [
            "name": .string(jobName), "namespace": cronJob["metadata"]["namespace"],
            "ownerReferences": [OwnerReferences.controllerReference(to: cronJob, apiVersion: Self.apiVersion, kind: Self.kind)],
        ]
        metadata["labels"] = template["metadata"]["labels"]
        metadata["annotations"] = annotations
        let job: JSON = ["apiVersion": .string(Self.apiVersion), "kind": "Job", "metadata": metadata, "spec": template["spec"]]
        let namespace = cronJob["metadata"]["namespace"].string
        do {
            let made = try await client.create(.jobs, namespace: namespace, job)
            events.record(cronJob, apiVersion: Self.apiVersion, kind: Self.kind, reason: "SuccessfulCreate", message: "Created job \(jobName)")
            return made
        } catch let error as FlotillaError where error.code == .alreadyExists {
            let existing = try await client.get(.jobs, namespace: namespace, name: jobName)
            guard OwnerReferences.isControlled(existing, byKind: Self.kind, uid: cronJob["metadata"]["uid"].string ?? "") else {
                events.record(
                    cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "FailedCreate",
                    message: "Error creating job: job \(jobName) already exists and belongs to something else")
                return nil
            }
            return existing
        } catch {
            events.record(cronJob, apiVersion: Self.apiVersion, kind: Self.kind, type: "Warning", reason: "FailedCreate", message: "Error creating job: \(error)")
            throw error
        }
    }

    /// Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and
    /// `failedJobsHistoryLimit`.
    private func trimHistory(_ cronJob: JSON, owned: [JSON]) async throws {
        for (condition, limitField) in [("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")] {
            guard let limit = cronJob["spec"][limitField].int else { continue }
            let finished = owned.filter { JobConditions.isTrue($0, condition) && $0["metadata"]["deletionTimestamp"].isNull }
            guard finished.count > Int(max(0, limit)) else { continue }
            let oldestFirst = finished.sorted { startTime($0) < startTime($1) }
            for job in oldestFirst.prefix(finished.count - Int(max(0, limit))) { try await deleteJob(job, of: cronJob) }
        }
    }

    private func startTime(_ job: JSON) -> Date {
        (job["status"]["startTime"].string ?? job["metadata"]["creationTimestamp"].string).flatMap(Timestamp.parse) ?? .distantPast
    }

    private func deleteJob(_ job: JSON, of cronJob: JSON) async throws {
        let name = job["metadata"]["name"].string ?? ""
        do {
            try await client.delete(
                .jobs, namespace: job["metadata"]["namespace"].string, name: name, propagationPolicy: .background,
                preconditions: Preconditions(uid: job["metadata"]["uid"].string))
            events.record(cronJob, apiVersion: Self.apiVersion, kind: Self.kind, reason: "SuccessfulDelete", message: "Deleted job \(name)")
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
    }

    /// Writes the cron job's status, with `running` as `active`, when it changed.
    private func write(_ status: JSON, of cronJob: JSON, running: [JSON]) async throws {
        var status = status
        let previous = Dictionary((status["active"].array ?? []).compactMap { ref in ref["uid"].string.map { ($0, ref) } }, uniquingKeysWith: { a, _ in a })
        let references: [JSON] = running.map { job in
            if let uid = job["metadata"]["uid"].string, let known = previous[uid] { return known }
            return [
                "apiVersion": .string(Self.apiVersion), "kind": "Job", "name": job["metadata"]["name"],
                "namespace": job["metadata"]["namespace"], "uid": job["metadata"]["uid"], "resourceVersion": job["metadata"]["resourceVersion"],
            ]
        }
        status["active"] = references.isEmpty ? .null : .array(references)
        guard let patch = StatusPatch.between(old: cronJob["status"], new: status) else { return }
        do {
            _ = try await client.patch(
                .cronJobs, namespace: cronJob["metadata"]["namespace"].string, name: cronJob["metadata"]["name"].string ?? "", patch,
                type: .merge, subresource: "status")
            written.wrote(status, over: cronJob, key: ObjectCache.key(for: cronJob))
        } catch let error as FlotillaError where error.code == .notFound {}
    }
}
