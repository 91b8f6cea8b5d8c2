import FlotillaCore
import FlotillaScheduler
import Foundation

/// When a pod must leave a node because of the node's NoExecute taints (Kubernetes' taint
/// manager): at once for a taint it does not tolerate, after the shortest `tolerationSeconds`
/// of the tolerations it has (counted from the taint's `timeAdded`), never when it tolerates
/// every such taint without a limit.
enum NoExecuteEviction {
    /// Whether `node` has any NoExecute taint, without which no pod on it is ever due.
    static func hasNoExecuteTaint(_ node: JSON) -> Bool {
        (node["spec"]["taints"].array ?? []).contains { $0["effect"].string == "NoExecute" }
    }

    /// The time `pod` is to be deleted on `node`, or nil when it may stay.
    static func deadline(for pod: JSON, on node: JSON, now: Date) -> Date? {
        let tolerations = pod["spec"]["tolerations"].array ?? []
        var earliest: Date?
        for taintJSON in node["spec"]["taints"].array ?? [] where taintJSON["effect"].string == "NoExecute" {
            let taint = Taint(json: taintJSON)
            let matching = tolerations.filter { Toleration(json: $0).tolerates(taint) }
            if matching.isEmpty { return now }
            let limits = matching.compactMap { $0["tolerationSeconds"].int }
            guard matching.allSatisfy({ !$0["tolerationSeconds"].isNull }), let seconds = limits.min() else { continue }
            let added = taintJSON["timeAdded"].string.flatMap(Timestamp.parse) ?? now
            let due = added.addingTimeInterval(TimeInterval(max(0, seconds)))
            earliest = min(earliest ?? due, due)
        }
        return earliest
    }
}
