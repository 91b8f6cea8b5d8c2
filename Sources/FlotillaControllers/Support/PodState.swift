import FlotillaCore
import Foundation

/// What controllers read from a pod's status: whether it still counts, is Ready, and has been
/// Ready long enough to be available.
enum PodState {
    /// Not finished (Succeeded or Failed) and not being deleted.
    static func isActive(_ pod: JSON) -> Bool {
        let phase = pod["status"]["phase"].string ?? ""
        return phase != "Succeeded" && phase != "Failed" && pod["metadata"]["deletionTimestamp"].isNull
    }

    /// Whether the pod's Ready condition is True.
    static func isReady(_ pod: JSON) -> Bool {
        readyCondition(pod)?["status"].string == "True"
    }

    /// When the pod last became Ready, if it is.
    static func readySince(_ pod: JSON) -> Date? {
        guard let condition = readyCondition(pod), condition["status"].string == "True" else { return nil }
        return condition["lastTransitionTime"].string.flatMap(Timestamp.parse)
    }

    /// Ready for at least `minReadySeconds` at `now`.
    static func isAvailable(_ pod: JSON, minReadySeconds: Int, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since = readySince(pod) else { return false }
        return now.timeIntervalSince(since) >= Double(minReadySeconds)
    }

    /// The total restarts of the pod's containers.
    static func restarts(_ pod: JSON) -> Int64 {
        (pod["status"]["containerStatuses"].array ?? []).reduce(0) { $0 + ($1["restartCount"].int ?? 0) }
    }

    private static func readyCondition(_ pod: JSON) -> JSON? {
        (pod["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }
    }
}
