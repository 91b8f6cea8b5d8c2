import FlotillaClient
import FlotillaCore

/// A pod with what its controller counts, read out of each pod version once: by the pod
/// informer's cache when it stores the version (``summarize(_:)``), so that a controller that
/// counts thousands of pods many times a second reads no JSON for the pods that did not change.
struct ControlledPod: Sendable {
    /// What a controller reads from one pod version; a class, so that handing the facts of
    /// thousands of pods around costs one reference count each.
    final class Facts: Sendable {
        let labels: JSON
        /// Not finished and not being deleted (``PodState/isActive(_:)``).
        let isActive: Bool
        let readiness: PodReadiness

        init(_ pod: JSON) {
            labels = pod["metadata"]["labels"]
            isActive = PodState.isActive(pod)
            readiness = PodReadiness(pod)
        }
    }

    var object: JSON
    var facts: Facts

    init(_ object: JSON) {
        self.object = object
        facts = Facts(object)
    }

    /// The pod of a cache entry, with the facts the cache read when it stored it.
    init(_ entry: ObjectCache.Entry) {
        object = entry.object
        facts = (entry.summary as? Facts) ?? Facts(entry.object)
    }

    /// The summary the pod informer's cache keeps of every pod.
    static func summarize(_ pod: JSON) -> any Sendable { Facts(pod) }
}
