import FlotillaCore
import Foundation

/// The pods of a replica set: made from its template, and ordered for scale-down as Kubernetes
/// orders them (the pod that matters least goes first).
enum ReplicaSetPods {
    /// A new pod from `template` for `owner`, named `<owner>-<random>` by the API server.
    static func make(template: JSON, owner: JSON, ownerReference: JSON) -> JSON {
        var metadata: JSONObject = [
            "generateName": .string((owner["metadata"]["name"].string ?? "pod") + "-"),
            "namespace": owner["metadata"]["namespace"],
            "ownerReferences": [ownerReference],
        ]
        if let labels = template["metadata"]["labels"].object { metadata["labels"] = .object(labels) }
        if let annotations = template["metadata"]["annotations"].object { metadata["annotations"] = .object(annotations) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": template["spec"]]
    }

    /// Whether a pod's update can change which pods its replica set counts or keeps (its
    /// labels, owners, or whether it is still active), rather than only their status counts.
    static func changesMembership(old: JSON, new: JSON) -> Bool {
        PodState.isActive(old) != PodState.isActive(new) || old["metadata"]["labels"] != new["metadata"]["labels"]
            || old["metadata"]["ownerReferences"] != new["metadata"]["ownerReferences"]
    }

    /// `pods` with the ones to delete first at the front: not yet scheduled, then Pending, then
    /// not Ready, then Ready for the shortest time, then most restarted, then newest.
    static func deletionOrder(_ pods: [PodFacts]) -> [PodFacts] {
        // Each pod is ranked once, not in every comparison: a rollout sorts thousands, many times.
        pods.map { (pod: $0, rank: rank($0)) }.sorted { a, b in
            let (ka, kb) = (a.rank, b.rank)
            if ka.scheduled != kb.scheduled { return !ka.scheduled }
            if ka.phase != kb.phase { return ka.phase < kb.phase }
            if ka.ready != kb.ready { return !ka.ready }
            if ka.readySince != kb.readySince { return ka.readySince > kb.readySince }
            if ka.restarts != kb.restarts { return ka.restarts > kb.restarts }
            return ka.created > kb.created
        }.map(\.pod)
    }

    /// ``deletionOrder(_:)-([PodFacts])`` of pods read from their JSON.
    static func deletionOrder(_ pods: [JSON]) -> [JSON] {
        deletionOrder(pods.map { PodFacts($0) }).map(\.object)
    }

    /// What orders a pod for deletion; the facts the cache read once give its node and readiness.
    private static func rank(_ facts: PodFacts) -> (scheduled: Bool, phase: Int, ready: Bool, readySince: Date, restarts: Int64, created: Date) {
        let pod = facts.object
        let phase: Int
        switch pod["status"]["phase"].string ?? "Pending" {
        case "Pending": phase = 0
        case "Running": phase = 2
        default: phase = 1
        }
        return (
            facts.nodeName != nil, phase, facts.readiness.ready, facts.readiness.since ?? .distantPast, PodState.restarts(pod),
            pod["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? .distantPast
        )
    }
}
