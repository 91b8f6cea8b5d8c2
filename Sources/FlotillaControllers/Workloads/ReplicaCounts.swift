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

    init(pods: [JSON], templateLabels: JSONObject, minReadySeconds: Int, now: Date) {
        replicas = pods.count
        for pod in pods {
            let labels = pod["metadata"]["labels"]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            guard PodState.isReady(pod) else { continue }
            ready += 1
            if minReadySeconds <= 0 || PodState.readySince(pod).map({ now.timeIntervalSince($0) >= Double(minReadySeconds) }) == true {
                available += 1
            }
        }
    }
}
