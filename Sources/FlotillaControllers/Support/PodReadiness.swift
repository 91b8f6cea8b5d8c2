import FlotillaCore
import Foundation

/// Whether a pod is Ready and since when, as read from one version of it.
struct PodReadiness: Equatable, Sendable {
    var ready: Bool
    var since: Date?

    init(ready: Bool, since: Date?) {
        self.ready = ready
        self.since = since
    }

    /// Reads the pod's Ready condition once.
    init(_ pod: JSON) {
        let condition = Self.condition(of: pod)
        ready = condition?["status"].string == "True"
        since = ready ? condition?["lastTransitionTime"].string.flatMap(Timestamp.parse) : nil
    }

    /// The pod's Ready condition.
    static func condition(of pod: JSON) -> JSON? {
        (pod["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }
    }

    /// Ready for at least `minReadySeconds` at `now`.
    func isAvailable(minReadySeconds: Int, now: Date) -> Bool {
        guard ready else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since else { return false }
        return now.timeIntervalSince(since) >= Double(minReadySeconds)
    }
}
