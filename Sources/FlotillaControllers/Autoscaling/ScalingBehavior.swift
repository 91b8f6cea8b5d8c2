import FlotillaCore
import Foundation

/// How fast a HorizontalPodAutoscaler may follow its metrics (`spec.behavior`, with
/// Kubernetes' defaults): recommendations are stabilized over a window (the highest of the
/// last 300 s before scaling down, the lowest of the window before scaling up, none by
/// default), and each change is limited by the direction's policies (by default up to twice
/// the replicas or four more every 15 s, down to any count every 15 s).
struct ScalingBehavior {
    /// A recommendation or a change, with when it was made.
    struct Entry: Equatable {
        var at: Date
        var replicas: Int
    }

    var spec: JSON

    /// The replicas to set, from `recommendation` now with `current` replicas, the earlier
    /// `recommendations` and the `changes` made (by how much, when).
    func desired(current: Int, recommendation: Int, recommendations: [Entry], changes: [Entry], now: Date, minReplicas: Int, maxReplicas: Int) -> Int {
        let upWindow = Double(spec["scaleUp"]["stabilizationWindowSeconds"].int ?? 0)
        let downWindow = Double(spec["scaleDown"]["stabilizationWindowSeconds"].int ?? 300)
        var up = recommendation
        var down = recommendation
        for entry in recommendations {
            if now.timeIntervalSince(entry.at) <= upWindow { up = min(up, entry.replicas) }
            if now.timeIntervalSince(entry.at) <= downWindow { down = max(down, entry.replicas) }
        }
        var stabilized = current
        if stabilized < up { stabilized = up }
        if stabilized > down { stabilized = down }

        if stabilized > current {
            stabilized = min(stabilized, limit(direction: "scaleUp", current: current, changes: changes, now: now))
        } else if stabilized < current {
            stabilized = max(stabilized, limit(direction: "scaleDown", current: current, changes: changes, now: now))
        }
        return min(max(stabilized, minReplicas), maxReplicas)
    }

    /// The furthest the policies of `direction` allow from `current` now.
    private func limit(direction: String, current: Int, changes: [Entry], now: Date) -> Int {
        let scalingUp = direction == "scaleUp"
        let rules = spec[direction]
        let policies = rules["policies"].array ?? (scalingUp
            ? [["type": "Pods", "value": 4, "periodSeconds": 15], ["type": "Percent", "value": 100, "periodSeconds": 15]]
            : [["type": "Percent", "value": 100, "periodSeconds": 15]])
        let select = rules["selectPolicy"].string ?? "Max"
        if select == "Disabled" { return current }
        var limits: [Int] = []
        for policy in policies {
            let period = Double(policy["periodSeconds"].int ?? 15)
            let value = Int(policy["value"].int ?? 0)
            // The replicas at the start of the period: the changes within it undone.
            let moved = changes.filter { now.timeIntervalSince($0.at) <= period && ($0.replicas > 0) == scalingUp }.reduce(0) { $0 + $1.replicas }
            let start = current - moved
            switch (policy["type"].string, scalingUp) {
            case ("Pods", true): limits.append(start + value)
            case ("Pods", false): limits.append(start - value)
            case ("Percent", true): limits.append(Int((Double(start) * (1 + Double(value) / 100)).rounded(.up)))
            default: limits.append(Int((Double(start) * (1 - Double(value) / 100)).rounded(.down)))
            }
        }
        guard !limits.isEmpty else { return current }
        // "Max" picks the policy that allows the most change.
        let most = scalingUp ? limits.max()! : limits.min()!
        let least = scalingUp ? limits.min()! : limits.max()!
        return select == "Min" ? least : most
    }
}
