import FlotillaCore
import Foundation

/// How much a pod matters when its controller has too many, ordered as Kubernetes orders them
/// for scale-down: a pod that is not yet scheduled goes first, then a Pending one, then one not
/// Ready, then the one Ready for the shortest time, then the most restarted, then the newest.
/// Read once per pod version (``PodFacts``), since a rollout orders thousands of pods many times.
struct DeletionRank: Comparable, Sendable {
    var scheduled: Bool
    /// 0 Pending, 1 any other phase, 2 Running.
    var phase: Int
    var ready: Bool
    var readySince: Date
    var restarts: Int64
    var created: Date

    init(_ pod: JSON, nodeName: String?, readiness: PodReadiness) {
        scheduled = nodeName != nil
        switch pod["status"]["phase"].string ?? "Pending" {
        case "Pending": phase = 0
        case "Running": phase = 2
        default: phase = 1
        }
        ready = readiness.ready
        readySince = readiness.since ?? .distantPast
        restarts = PodState.restarts(pod)
        created = pod["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? .distantPast
    }

    /// Whether `a` goes before `b` (matters less).
    static func < (a: DeletionRank, b: DeletionRank) -> Bool {
        if a.scheduled != b.scheduled { return !a.scheduled }
        if a.phase != b.phase { return a.phase < b.phase }
        if a.ready != b.ready { return !a.ready }
        if a.readySince != b.readySince { return a.readySince > b.readySince }
        if a.restarts != b.restarts { return a.restarts > b.restarts }
        return a.created > b.created
    }
}
