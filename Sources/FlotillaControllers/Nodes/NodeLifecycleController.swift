import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Watches over nodes as kube-controller-manager's node lifecycle controller does:
///
/// - a node whose Lease in `kube-node-lease` has not been renewed for the grace period (40 s by
///   default) gets its conditions set to Unknown ("Kubelet stopped posting node status.") and
///   the `node.kubernetes.io/unreachable` NoSchedule and NoExecute taints; a node that reports
///   Ready=False gets `node.kubernetes.io/not-ready`; they go when the node is back (a node
///   whose lease is renewed again is Ready again);
/// - pods on nodes with NoExecute taints are deleted when ``NoExecuteEviction`` says so, and
///   their controllers replace them elsewhere;
/// - pods bound to nodes that no longer exist are deleted at once (the pod garbage collector).
final class NodeLifecycleController: Sendable {
    static let unreachableTaint = "node.kubernetes.io/unreachable"
    static let notReadyTaint = "node.kubernetes.io/not-ready"
    static let unknownReason = "NodeStatusUnknown"
    /// The pod cache's index of bound pods by node name.
    static let nodeIndex = "node-name"

    private let client: KubernetesClient
    private let nodes: Informer
    private let leases: Informer
    private let pods: Informer
    private let events: EventRecorder
    private let gracePeriod: Duration
    private let logger: Logger

    init(client: KubernetesClient, nodes: Informer, leases: Informer, pods: Informer, events: EventRecorder, gracePeriod: Duration, logger: Logger) {
        self.client = client
        self.nodes = nodes
        self.leases = leases
        self.pods = pods
        self.events = events
        self.gracePeriod = gracePeriod
        self.logger = logger
        pods.cache.addIndexer(Self.nodeIndex) { pod in
            guard let node = pod["spec"]["nodeName"].string, !node.isEmpty else { return [] }
            return [node]
        }
    }

    /// Checks every node and the pods on tainted or missing nodes each `period`, until cancelled.
    func run(period: Duration = .seconds(2)) async {
        while !Task.isCancelled {
            do {
                try await monitorNodes()
                try await evictPods()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("node lifecycle pass failed", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: period)
        }
    }

    // MARK: - Nodes

    private func monitorNodes() async throws {
        let now = Date()
        let grace = TimeInterval(gracePeriod.components.seconds)
        for entry in nodes.cache.entries() {
            guard let name = entry.object["metadata"]["name"].string else { continue }
            let health = NodeHealth.of(entry)
            let heartbeat = leases.cache.entry(namespace: "kube-node-lease", name: name).flatMap(LeaseRenewal.renewTime(of:))
                ?? health.reportedAt ?? now
            let silent = now.timeIntervalSince(heartbeat) > grace
            if silent, health.readyStatus != "Unknown" {
                try await setConditions(of: entry.object, silent: true)
            } else if !silent, health.readyStatus == "Unknown", health.readyReason == Self.unknownReason {
                try await setConditions(of: entry.object, silent: false)
            }
            let status = silent ? "Unknown" : (health.readyStatus ?? "Unknown")
            let unreachable = status == "Unknown", notReady = status == "False"
            if !health.taints.areAsWanted(unreachable: unreachable, notReady: notReady) {
                try await setTaints(of: entry.object, unreachable: unreachable, notReady: notReady)
            }
        }
    }

    /// Every condition Unknown (the node fell silent), or Ready True again (it is back).
    private func setConditions(of node: JSON, silent: Bool) async throws {
        let now = Timestamp.now()
        var conditions = node["status"]["conditions"].array ?? []
        for index in conditions.indices {
            if silent {
                guard conditions[index]["status"].string != "Unknown" else { continue }
                conditions[index]["status"] = "Unknown"
                conditions[index]["reason"] = .string(Self.unknownReason)
                conditions[index]["message"] = "Kubelet stopped posting node status."
                conditions[index]["lastTransitionTime"] = .string(now)
            } else if conditions[index]["type"].string == "Ready" {
                conditions[index]["status"] = "True"
                conditions[index]["reason"] = "KubeletReady"
                conditions[index]["message"] = "the agent is renewing the node's lease again"
                conditions[index]["lastTransitionTime"] = .string(now)
                conditions[index]["lastHeartbeatTime"] = .string(now)
            }
        }
        let name = node["metadata"]["name"].string ?? ""
        if silent {
            logger.warning("node stopped renewing its lease", metadata: ["node": .string(name)])
            events.record(node, apiVersion: "v1", kind: "Node", reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
        }
        do {
            _ = try await client.patch(.nodes, name: name, ["status": ["conditions": .array(conditions)]], type: .strategic, subresource: "status")
        } catch let error as FlotillaError where error.code == .notFound {}
    }

    /// Adds or removes the unreachable and not-ready NoExecute taints.
    private func setTaints(of node: JSON, unreachable: Bool, notReady: Bool) async throws {
        let taints = node["spec"]["taints"].array ?? []
        var wanted = taints.filter { taint in
            let key = taint["key"].string
            return !(key == Self.unreachableTaint && !unreachable) && !(key == Self.notReadyTaint && !notReady)
        }
        // NoSchedule keeps new pods away (the pods' default tolerations are NoExecute only);
        // NoExecute evicts the pods there once their tolerations run out.
        for (key, present) in [(Self.unreachableTaint, unreachable), (Self.notReadyTaint, notReady)] where present {
            for effect in ["NoSchedule", "NoExecute"] where !wanted.contains(where: { $0["key"].string == key && $0["effect"].string == effect }) {
                var taint: JSON = ["key": .string(key), "effect": .string(effect)]
                if effect == "NoExecute" { taint["timeAdded"] = .string(Timestamp.now()) }
                wanted.append(taint)
            }
        }
        guard wanted != taints else { return }
        let name = node["metadata"]["name"].string ?? ""
        do {
            _ = try await client.patch(
                .nodes, name: name,
                ["metadata": ["resourceVersion": node["metadata"]["resourceVersion"]], "spec": ["taints": wanted.isEmpty ? .null : .array(wanted)]],
                type: .merge)
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
    }

    // MARK: - Pods

    private func evictPods() async throws {
        let now = Date()
        var known: Set<String> = []
        // Only the pods of nodes with a NoExecute taint can be due; most nodes have none.
        var tainted: [String: JSON] = [:]
        for entry in nodes.cache.entries() {
            guard let name = entry.object["metadata"]["name"].string else { continue }
            known.insert(name)
            if NodeHealth.of(entry).hasNoExecuteTaint { tainted[name] = entry.object }
        }
        // Pods are looked at node by node, and only on nodes that are tainted or gone.
        for nodeName in pods.cache.indexValues(Self.nodeIndex) where !known.contains(nodeName) || tainted[nodeName] != nil {
            for entry in pods.cache.entries(inIndex: Self.nodeIndex, nodeName) {
                let facts = PodFacts.of(entry)
                let pod = facts.object
                guard let node = tainted[nodeName] else {
                    try await collectOrphan(pod, node: nodeName)
                    continue
                }
                guard facts.isActive, let due = NoExecuteEviction.deadline(for: pod, on: node, now: now), due <= now else { continue }
                let name = pod["metadata"]["name"].string ?? ""
                events.record(pod, apiVersion: "v1", kind: "Pod", reason: "TaintManagerEviction", message: "Marking for deletion Pod \(pod["metadata"]["namespace"].string ?? "")/\(name)")
                try await delete(pod, gracePeriod: nil)
            }
        }
    }

    /// Deletes a pod whose node is gone, once the API confirms the node is gone.
    private func collectOrphan(_ pod: JSON, node: String) async throws {
        do {
            _ = try await client.get(.nodes, name: node)
            return
        } catch let error as FlotillaError where error.code == .notFound {}
        logger.info("deleting a pod of a deleted node", metadata: ["pod": .string(pod["metadata"]["name"].string ?? ""), "node": .string(node)])
        try await delete(pod, gracePeriod: 0)
    }

    private func delete(_ pod: JSON, gracePeriod: Int?) async throws {
        do {
            _ = try await client.delete(
                .pods, namespace: pod["metadata"]["namespace"].string, name: pod["metadata"]["name"].string ?? "",
                gracePeriodSeconds: gracePeriod, preconditions: Preconditions(uid: pod["metadata"]["uid"].string))
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
    }
}
