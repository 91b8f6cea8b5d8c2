import FlotillaCore

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

    /// `pods` with the ones to delete first at the front (``DeletionRank``).
    static func deletionOrder(_ pods: [PodFacts]) -> [PodFacts] {
        pods.sorted { $0.deletionRank < $1.deletionRank }
    }

    /// ``deletionOrder(_:)-([PodFacts])`` of pods read from their JSON.
    static func deletionOrder(_ pods: [JSON]) -> [JSON] {
        deletionOrder(pods.map { PodFacts($0) }).map(\.object)
    }
}
