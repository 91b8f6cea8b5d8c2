import FlotillaCore

/// The pods and claims of a stateful set: pod `<set>-<ordinal>` with a stable hostname under the
/// set's service, and one PersistentVolumeClaim `<template>-<set>-<ordinal>` per volume claim
/// template, which outlives the pod so that a replacement finds its data again.
enum StatefulSetPods {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let indexLabel = "apps.kubernetes.io/pod-index"

    /// The ordinal of a pod named `<set>-<n>`, or nil.
    static func ordinal(of podName: String, set: String) -> Int? {
        guard podName.hasPrefix(set + "-") else { return nil }
        let suffix = podName.dropFirst(set.count + 1)
        guard let n = Int(suffix), n >= 0, String(n) == suffix else { return nil }
        return n
    }

    /// The claim name for `template` and pod `podName`.
    static func claimName(template: String, podName: String) -> String {
        template + "-" + podName
    }

    /// The PersistentVolumeClaims pod `ordinal` needs, from `volumeClaimTemplates`.
    static func claims(of set: JSON, ordinal: Int) -> [JSON] {
        let setName = set["metadata"]["name"].string ?? ""
        let podName = setName + "-\(ordinal)"
        return (set["spec"]["volumeClaimTemplates"].array ?? []).compactMap { template in
            guard let name = template["metadata"]["name"].string else { return nil }
            var labels = template["metadata"]["labels"].object ?? [:]
            for (key, value) in set["spec"]["selector"]["matchLabels"].object ?? [:] where labels[key] == nil { labels[key] = value }
            var metadata: JSONObject = ["name": .string(claimName(template: name, podName: podName)), "namespace": set["metadata"]["namespace"]]
            if !labels.isEmpty { metadata["labels"] = .object(labels) }
            if let annotations = template["metadata"]["annotations"].object { metadata["annotations"] = .object(annotations) }
            return ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": .object(metadata), "spec": template["spec"]]
        }
    }

    /// Pod `ordinal` of the set at template revision `revision`.
    static func make(set: JSON, ordinal: Int, revision: String, ownerReference: JSON) -> JSON {
        let setName = set["metadata"]["name"].string ?? ""
        let podName = setName + "-\(ordinal)"
        var template = set["spec"]["template"]
        template[path: ["metadata", "labels", podNameLabel]] = .string(podName)
        template[path: ["metadata", "labels", indexLabel]] = .string(String(ordinal))
        template[path: ["metadata", "labels", ControllerHistory.hashLabel]] = .string(revision)
        var spec = template["spec"]
        spec["hostname"] = .string(podName)
        if let service = set["spec"]["serviceName"].string, !service.isEmpty { spec["subdomain"] = .string(service) }
        var volumes = spec["volumes"].array ?? []
        for claimTemplate in set["spec"]["volumeClaimTemplates"].array ?? [] {
            guard let name = claimTemplate["metadata"]["name"].string else { continue }
            volumes.removeAll { $0["name"].string == name }
            volumes.append(["name": .string(name), "persistentVolumeClaim": ["claimName": .string(claimName(template: name, podName: podName))]])
        }
        if !volumes.isEmpty { spec["volumes"] = .array(volumes) }
        var pod = ReplicaSetPods.make(template: template, owner: set, ownerReference: ownerReference)
        if var metadata = pod["metadata"].object {
            metadata["generateName"] = nil
            metadata["name"] = .string(podName)
            pod["metadata"] = .object(metadata)
        }
        pod["spec"] = spec
        return pod
    }
}
