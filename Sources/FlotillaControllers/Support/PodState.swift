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
        PodReadiness.condition(of: pod)?["status"].string == "True"
    }

    /// When the pod last became Ready, if it is.
    static func readySince(_ pod: JSON) -> Date? {
        PodReadiness(pod).since
    }

    /// Ready for at least `minReadySeconds` at `now`.
    static func isAvailable(_ pod: JSON, minReadySeconds: Int, now: Date) -> Bool {
        // Without a minimum, Ready is enough and the transition time need not be parsed.
        guard minReadySeconds > 0 else { return isReady(pod) }
        return PodReadiness(pod).isAvailable(minReadySeconds: minReadySeconds, now: now)
    }

    /// The total restarts of the pod's containers.
    static func restarts(_ pod: JSON) -> Int64 {
        (pod["status"]["containerStatuses"].array ?? []).reduce(0) { $0 + ($1["restartCount"].int ?? 0) }
    }
}
