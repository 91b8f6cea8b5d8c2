import FlotillaCore

/// A deployment's `Available` and `Progressing` conditions, with Kubernetes' reasons and
/// messages (kubectl's `rollout status` reads `ProgressDeadlineExceeded`).
enum DeploymentConditions {
    /// `conditions` with `type` set; the transition time changes only with the status, and the
    /// update time only when something changed or `touch` is set.
    static func set(
        _ conditions: [JSON], type: String, status: String, reason: String, message: String, now: String, touch: Bool = false
    ) -> [JSON] {
        var result = conditions
        let index = result.firstIndex { $0["type"].string == type }
        let existing = index.map { result[$0] }
        var condition: JSON = [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
        ]
        if let existing {
            if existing["status"].string == status { condition["lastTransitionTime"] = existing["lastTransitionTime"] }
            if !touch, existing["status"].string == status, existing["reason"].string == reason, existing["message"].string == message {
                condition["lastUpdateTime"] = existing["lastUpdateTime"]
            }
        }
        if let index { result[index] = condition } else { result.append(condition) }
        return result
    }

    /// The condition of `type`, if present.
    static func find(_ conditions: [JSON], _ type: String) -> JSON? {
        conditions.first { $0["type"].string == type }
    }
}
