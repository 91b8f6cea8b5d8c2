import FlotillaCore
import Foundation

/// The `kubectl get` columns of jobs and cron jobs, after NAME.
enum BatchV1Columns {
    static let jobs: [TableColumn] = [
        TableColumn("Status", description: "Complete, Failed, Running, Suspended and the like.") { o, _ in
            .string(jobStatus(o))
        },
        TableColumn("Completions", description: "Succeeded pods out of the pods needed.") { o, _ in
            .string(completions(o))
        },
        TableColumn("Duration", description: "How long the job ran or has been running.") { o, now in
            .string(duration(o, now: now))
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "template"]),
        WorkloadColumns.images(template: ["spec", "template"]),
        WorkloadColumns.selector(["spec", "selector"]),
    ]

    static let cronJobs: [TableColumn] = [
        TableColumn("Schedule", description: "The cron schedule.") { o, _ in
            .string(o[path: ["spec", "schedule"]].string ?? "")
        },
        TableColumn("Timezone", description: "The time zone the schedule is read in.") { o, _ in
            .string(o[path: ["spec", "timeZone"]].string ?? "<none>")
        },
        TableColumn("Suspend", type: "boolean", description: "Whether new runs are held off.") { o, _ in
            switch o[path: ["spec", "suspend"]].bool {
            case .some(true): return "True"
            case .some(false): return "False"
            case .none: return "<unset>"
            }
        },
        TableColumn("Active", type: "integer", description: "Jobs running now.") { o, _ in
            .int(Int64(o[path: ["status", "active"]].array?.count ?? 0))
        },
        TableColumn("Last Schedule", description: "Time since a job was last scheduled.") { o, now in
            .string(WorkloadColumns.since(o[path: ["status", "lastScheduleTime"]], now: now))
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "jobTemplate", "spec", "template"]),
        WorkloadColumns.images(template: ["spec", "jobTemplate", "spec", "template"]),
        WorkloadColumns.selector(["spec", "jobTemplate", "spec", "selector"]),
    ]

    /// The first true condition among Complete, Failed, (terminating), Suspended, FailureTarget
    /// and SuccessCriteriaMet; Running otherwise.
    static func jobStatus(_ job: JSON) -> String {
        let conditions = job[path: ["status", "conditions"]].array ?? []
        func has(_ type: String) -> Bool {
            conditions.contains { $0["type"].string == type && $0["status"].string == "True" }
        }
        if has("Complete") { return "Complete" }
        if has("Failed") { return "Failed" }
        if !job[path: ["metadata", "deletionTimestamp"]].isNull { return "Terminating" }
        if has("Suspended") { return "Suspended" }
        if has("FailureTarget") { return "FailureTarget" }
        if has("SuccessCriteriaMet") { return "SuccessCriteriaMet" }
        return "Running"
    }

    /// "1/1", or "0/1 of 3" for a job with parallelism but no completion count.
    static func completions(_ job: JSON) -> String {
        let succeeded = job[path: ["status", "succeeded"]].int ?? 0
        if let completions = job[path: ["spec", "completions"]].int {
            return "\(succeeded)/\(completions)"
        }
        let parallelism = job[path: ["spec", "parallelism"]].int ?? 0
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// Start to completion, or start to now while running; empty before the job starts.
    static func duration(_ job: JSON, now: Date) -> String {
        guard let start = job[path: ["status", "startTime"]].string.flatMap(Timestamp.parse) else { return "" }
        let end = job[path: ["status", "completionTime"]].string.flatMap(Timestamp.parse) ?? now
        return HumanDuration.format(end.timeIntervalSince(start))
    }
}
