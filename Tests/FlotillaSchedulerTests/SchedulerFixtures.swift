import FlotillaCore
import Testing

@testable import FlotillaScheduler

/// Builders of pod and node JSON and cluster states for the scheduler's tests.
enum Fixtures {
    /// A pod with one container requesting `cpu` and `memory` (when given); `spec` members are
    /// merged into the spec.
    static func pod(
        _ name: String = "p", namespace: String = "default", labels: [String: String] = [:], cpu: String? = nil,
        memory: String? = nil, nodeName: String? = nil, priority: Int64? = nil, annotations: [String: String] = [:],
        owner: String? = nil, spec: JSON = [:]
    ) -> JSON {
        var requests = JSONObject()
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var podSpec: JSON = ["containers": [["name": "c", "image": "busybox", "resources": ["requests": .object(requests)]]]]
        for (key, value) in spec.object ?? [:] { podSpec[key] = value }
        if let nodeName { podSpec["nodeName"] = .string(nodeName) }
        if let priority { podSpec["priority"] = .int(priority) }
        var metadata: JSON = [
            "name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(namespace)-\(name)"),
            "labels": .object(JSONObject(uniqueKeysWithValues: labels.map { ($0.key, JSON.string($0.value)) })),
            "creationTimestamp": "2026-01-01T00:00:00Z",
        ]
        if !annotations.isEmpty {
            metadata["annotations"] = .object(JSONObject(uniqueKeysWithValues: annotations.map { ($0.key, JSON.string($0.value)) }))
        }
        if let owner {
            metadata["ownerReferences"] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(owner), "uid": .string(owner), "controller": true]]
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": podSpec, "status": ["phase": "Pending"]]
    }

    /// A node with allocatable cpu, memory and pods (and any `extra` resources).
    static func node(
        _ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int64 = 110, labels: [String: String] = [:],
        taints: [JSON] = [], unschedulable: Bool = false, extra: [String: String] = [:]
    ) -> JSON {
        var allocatable: JSONObject = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods))]
        for (key, value) in extra { allocatable[key] = .string(value) }
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = allLabels["kubernetes.io/hostname"] ?? name
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(JSONObject(uniqueKeysWithValues: allLabels.map { ($0.key, JSON.string($0.value)) }))],
            "spec": ["taints": .array(taints), "unschedulable": .bool(unschedulable)],
            "status": ["allocatable": .object(allocatable), "capacity": .object(allocatable)],
        ]
    }

    static func taint(_ key: String, _ value: String = "", effect: String = "NoSchedule") -> JSON {
        ["key": .string(key), "value": .string(value), "effect": .string(effect)]
    }

    /// A cluster state holding `nodes` and the bound pods among `pods`.
    static func cluster(nodes: [JSON], pods: [JSON] = []) -> ClusterState {
        let state = ClusterState()
        for node in nodes { state.upsertNode(NodeView(json: node)) }
        for pod in pods { state.upsertPod(PodInfo(json: pod)) }
        return state
    }

    /// One filter's verdict on one node.
    static func judge(_ filter: some FilterPlugin, _ pod: JSON, on node: String, in state: ClusterState, explain: Bool = false) -> Verdict {
        let cycle = CycleState(pod: PodInfo(json: pod), state: state)
        guard filter.applies(to: cycle) else { return .pass }
        return filter.filter(cycle, state.node(named: node)!, explain: explain) ?? .pass
    }
}
