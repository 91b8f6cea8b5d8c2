import FlotillaClient
import FlotillaCore

/// A pod with what the controllers read from it, read out of each pod version once: by the pod
/// informer's cache when it stores the version (``summary(interningIn:)``), so that a controller that
/// counts thousands of pods many times a second reads no JSON for the pods that did not change.
/// A class, so that handing thousands of them around costs one reference count each.
final class PodFacts: Sendable {
    let object: JSON
    /// `metadata.labels`, shared with the other pods of the same labels when the cache's
    /// summaries intern them.
    let labelSet: LabelSet
    /// `spec.nodeName`; nil while the pod is not bound.
    let nodeName: String?
    /// Not finished and not being deleted (``PodState/isActive(_:)``).
    let isActive: Bool
    let readiness: PodReadiness
    let deletionRank: DeletionRank

    init(_ object: JSON, labelSets: LabelSets? = nil) {
        self.object = object
        let labels = object["metadata"]["labels"]
        labelSet = labelSets?.intern(labels) ?? LabelSet(labels)
        nodeName = object["spec"]["nodeName"].string.flatMap { $0.isEmpty ? nil : $0 }
        isActive = PodState.isActive(object)
        readiness = PodReadiness(object)
        deletionRank = DeletionRank(object, nodeName: nodeName, readiness: readiness)
    }

    /// The pod of a cache entry, as the cache read it when it stored it.
    static func of(_ entry: ObjectCache.Entry) -> PodFacts {
        (entry.summary as? PodFacts) ?? PodFacts(entry.object)
    }

    var labels: JSON { labelSet.labels }

    /// The summary the pod informer's cache keeps of every pod, with labels interned in `labelSets`.
    static func summary(interningIn labelSets: LabelSets) -> ObjectCache.SummaryFunction {
        { pod in PodFacts(pod, labelSets: labelSets) }
    }
}
