import FlotillaCore
import Synchronization

/// The readiness of pods, read from each pod version once.
///
/// A replica set's sync counts every one of its pods, and a rollout syncs its sets many times
/// a second while most pods do not change; reading the Ready condition out of every pod's JSON
/// in every sync was most of the replica set controller's work. Entries are keyed by pod uid
/// and hold the `resourceVersion` they were read from, so a changed pod is read again; the
/// controller forgets a pod when it is deleted.
final class PodReadinessMemo: Sendable {
    private let entries = Mutex<[String: (version: String, readiness: PodReadiness)]>([:])

    /// The readiness of `pod`, read from it only when this version of it was not read before.
    func readiness(of pod: JSON) -> PodReadiness {
        let metadata = pod["metadata"]
        guard let uid = metadata["uid"].string, let version = metadata["resourceVersion"].string else { return PodReadiness(pod) }
        if let known = entries.withLock({ $0[uid] }), known.version == version { return known.readiness }
        let readiness = PodReadiness(pod)
        entries.withLock { $0[uid] = (version, readiness) }
        return readiness
    }

    /// Forgets a deleted pod.
    func forget(_ pod: JSON) {
        guard let uid = pod["metadata"]["uid"].string else { return }
        entries.withLock { _ = $0.removeValue(forKey: uid) }
    }

    /// How many pods are remembered.
    var count: Int { entries.withLock { $0.count } }
}
