import FlotillaAPI
import FlotillaCore

/// What binding a pod to a node changes in the stored pod, and when it may not.
enum PodBindingChange {
    /// Sets `spec.nodeName` to `node`, replaces the `PodScheduled` condition with a true one
    /// and adds `annotations`; 409 when the pod is being deleted or already assigned.
    static func apply(to pod: inout JSON, node: String, annotations: JSONObject, name: String, now: String) throws {
        if !pod["metadata"]["deletionTimestamp"].isNull {
            throw FlotillaError(.conflict, "pod \(name) is being deleted, cannot be assigned to a host", name: name, kind: "pods")
        }
        if let assigned = pod["spec"]["nodeName"].string, !assigned.isEmpty {
            throw FlotillaError(.conflict, "pod \(name) is already assigned to node \"\(assigned)\"", name: name, kind: "pods")
        }
        pod[path: ["spec", "nodeName"]] = .string(node)
        var conditions = (pod["status"]["conditions"].array ?? []).filter { $0["type"].string != "PodScheduled" }
        conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": nil, "lastTransitionTime": .string(now)])
        pod[path: ["status", "conditions"]] = .array(conditions)
        if !annotations.isEmpty {
            var merged = pod["metadata"]["annotations"].object ?? [:]
            for (key, value) in annotations { merged[key] = value }
            pod[path: ["metadata", "annotations"]] = .object(merged)
        }
    }
}
