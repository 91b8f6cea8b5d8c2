import FlotillaCore
import Foundation

/// A Job's `status.conditions`: reading whether it finished, and setting one condition the way
/// Kubernetes does (the transition time moves only when the status changes).
enum JobConditions {
    /// Whether the job has condition `type` with status True.
    static func isTrue(_ job: JSON, _ type: String) -> Bool {
        (job["status"]["conditions"].array ?? []).contains { $0["type"].string == type && $0["status"].string == "True" }
    }

    /// The job's finishing condition (`Complete` or `Failed`, True), if it finished.
    static func finished(_ job: JSON) -> JSON? {
        (job["status"]["conditions"].array ?? []).first {
            ($0["type"].string == "Complete" || $0["type"].string == "Failed") && $0["status"].string == "True"
        }
    }

    /// When the job finished: its completion time, else its finishing condition's transition.
    static func finishedAt(_ job: JSON) -> Date? {
        guard let condition = finished(job) else { return nil }
        return (job["status"]["completionTime"].string ?? condition["lastTransitionTime"].string).flatMap(Timestamp.parse)
    }

    /// `conditions` with condition `type` set to `status`, `reason` and `message`.
    static func setting(
        _ conditions: [JSON], type: String, status: String, reason: String, message: String, now: Date
    ) -> [JSON] {
        var result = conditions
        let stamp = JSON.string(Timestamp.format(now))
        var condition: JSON = [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastProbeTime": stamp, "lastTransitionTime": stamp,
        ]
        if let i = result.firstIndex(where: { $0["type"].string == type }) {
            if result[i]["status"].string == status { condition["lastTransitionTime"] = result[i]["lastTransitionTime"] }
            if result[i]["status"].string == status, result[i]["reason"].string == reason, result[i]["message"].string == message {
                return result
            }
            result[i] = condition
        } else {
            result.append(condition)
        }
        return result
    }
}
