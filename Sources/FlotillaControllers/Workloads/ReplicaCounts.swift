import FlotillaCore
import Foundation

/// The pod counts of a ReplicaSet's `status`, taken in one pass over its active pods:
/// all of them, those carrying every label of the template, the Ready ones and the available
/// ones (Ready for `minReadySeconds`).
struct ReplicaCounts: Equatable {
    var replicas = 0
    var fullyLabeled = 0
    var ready = 0
    var available = 0

    init(replicas: Int = 0, fullyLabeled: Int = 0, ready: Int = 0, available: Int = 0) {
        self.replicas = replicas
        self.fullyLabeled = fullyLabeled
        self.ready = ready
        self.available = available
    }

    /// Counts `pods` from the facts read out of each.
    init(pods: [PodFacts], templateLabels: JSONObject, minReadySeconds: Int, now: Date) {
        replicas = pods.count
        var fullyLabeledSets = LabelVerdicts { labels in templateLabels.allSatisfy { labels[$0.key] == $0.value } }
        for pod in pods {
            if fullyLabeledSets.verdict(on: pod.labelSet) { fullyLabeled += 1 }
            let state = pod.readiness
            if state.ready { ready += 1 }
            if state.isAvailable(minReadySeconds: minReadySeconds, now: now) { available += 1 }
        }
    }
}
