import FlotillaCore
import FlotillaScheduler

/// Where a daemon set's pods belong: every node whose labels satisfy the pod's node selector and
/// required node affinity and whose NoSchedule/NoExecute taints the pod tolerates, with the
/// tolerations Kubernetes gives every daemon pod (not-ready, unreachable, pressure,
/// unschedulable) so that a daemon keeps running on a troubled or cordoned node.
enum DaemonSetPlacement {
    static let defaultTolerations: [JSON] = [
        ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"],
        ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"],
        ["key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"],
        ["key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"],
        ["key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"],
        ["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"],
    ]

    /// The daemon set's pod template with the default tolerations it lacks.
    static func template(of daemonSet: JSON) -> JSON {
        var template = daemonSet["spec"]["template"]
        var tolerations = template["spec"]["tolerations"].array ?? []
        for toleration in defaultTolerations where !tolerations.contains(where: { $0["key"] == toleration["key"] && $0["effect"] == toleration["effect"] }) {
            tolerations.append(toleration)
        }
        template[path: ["spec", "tolerations"]] = .array(tolerations)
        return template
    }

    /// Whether a pod of `template` belongs on `node`.
    static func shouldRun(_ template: JSON, on node: JSON) -> Bool {
        guard let name = node["metadata"]["name"].string else { return false }
        let pod = PodInfo(json: ["metadata": ["name": "probe", "namespace": "default"], "spec": template["spec"]])
        var labels: [String: String] = [:]
        for (key, value) in node["metadata"]["labels"].object ?? [:] { labels[key] = value.string ?? "" }
        guard pod.placement.matches(name: name, labels: labels) else { return false }
        for taint in (node["spec"]["taints"].array ?? []).map(Taint.init(json:)) where taint.forbidsScheduling {
            if !pod.tolerations.tolerate(taint) { return false }
        }
        return true
    }

    /// The node a daemon pod is for: its `spec.nodeName`, or the node its affinity pins it to.
    static func node(of pod: JSON) -> String? {
        if let name = pod["spec"]["nodeName"].string, !name.isEmpty { return name }
        let terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].array ?? []
        for term in terms {
            for field in term["matchFields"].array ?? [] where field["key"].string == "metadata.name" && field["operator"].string == "In" {
                if let value = field["values"][0].string { return value }
            }
        }
        return nil
    }

    /// `template` pinned to `node` through required node affinity on `metadata.name`, which the
    /// scheduler honours (so resources and ports are still checked), as Kubernetes does.
    static func pinned(_ template: JSON, to node: String) -> JSON {
        var template = template
        template[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"]] = [
            "nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(node)]]]]],
        ]
        return template
    }
}
