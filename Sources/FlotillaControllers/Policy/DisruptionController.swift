import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Keeps each PodDisruptionBudget's status current, as Kubernetes' disruption controller does:
/// the pods it selects (`expectedPods`: their controllers' replica counts, or the pods
/// themselves), how many are Ready (`currentHealthy`), how many must stay so (`desiredHealthy`,
/// from `minAvailable` or `maxUnavailable`, numbers or percentages) and so how many may be
/// evicted now (`disruptionsAllowed`), which the eviction API spends.
final class DisruptionController: Sendable {
    private let client: KubernetesClient
    private let budgets: Informer
    private let pods: Informer
    private let replicaSets: Informer
    private let statefulSets: Informer
    private let logger: Logger
    private let queue = WorkQueue<String>()

    init(client: KubernetesClient, budgets: Informer, pods: Informer, replicaSets: Informer, statefulSets: Informer, logger: Logger) {
        self.client = client
        self.budgets = budgets
        self.pods = pods
        self.replicaSets = replicaSets
        self.statefulSets = statefulSets
        self.logger = logger
        budgets.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        budgets.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        let namespaceBudgets: @Sendable (JSON) -> Void = { [budgets, queue] pod in
            guard let namespace = pod["metadata"]["namespace"].string else { return }
            for budget in budgets.cache.list(namespace: namespace) { queue.add(ObjectCache.key(for: budget)) }
        }
        pods.onAdd(namespaceBudgets)
        pods.onUpdate { _, new in namespaceBudgets(new) }
        pods.onDelete(namespaceBudgets)
    }

    /// Syncs budgets with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    func sync(_ key: String) async throws {
        guard let budget = budgets.cache.get(key: key), let namespace = budget["metadata"]["namespace"].string else { return }
        let selector = try LabelSelector(json: budget["spec"]["selector"])
        let selected = pods.cache.list(namespace: namespace).filter { selector.matches(labels: $0["metadata"]["labels"]) && PodState.isActive($0) }
        let expected = expectedPods(selected, namespace: namespace)
        // Pods an eviction took but whose deletion the cache has not shown yet do not count
        // as healthy (for at most two minutes), or the same disruption would be allowed twice.
        let now = Date()
        var disrupted: JSONObject = [:]
        let activeNames = Set(selected.compactMap { $0["metadata"]["name"].string })
        for (name, since) in budget["status"]["disruptedPods"].object ?? [:] {
            guard activeNames.contains(name), let at = since.string.flatMap(Timestamp.parse), now.timeIntervalSince(at) < 120 else { continue }
            disrupted[name] = since
        }
        let healthy = selected.filter { PodState.isReady($0) && disrupted[$0["metadata"]["name"].string ?? ""] == nil }.count
        let desired = Self.desiredHealthy(budget["spec"], expected: expected)
        let allowed = max(0, healthy - desired)
        var status: JSON = budget["status"].object == nil ? .emptyObject : budget["status"]
        status["observedGeneration"] = budget["metadata"]["generation"]
        status["expectedPods"] = .int(Int64(expected))
        status["currentHealthy"] = .int(Int64(healthy))
        status["desiredHealthy"] = .int(Int64(desired))
        status["disruptionsAllowed"] = .int(Int64(allowed))
        status["disruptedPods"] = .object(disrupted)
        if !disrupted.isEmpty { queue.addAfter(key, delay: .seconds(5)) }
        let stamp = Timestamp.now()
        let existing = (status["conditions"].array ?? []).first { $0["type"].string == "DisruptionAllowed" }
        let conditionStatus = allowed > 0 ? "True" : "False"
        status["conditions"] = [[
            "type": "DisruptionAllowed", "status": .string(conditionStatus),
            "reason": allowed > 0 ? "SufficientPods" : "InsufficientPods", "message": "",
            "observedGeneration": budget["metadata"]["generation"],
            "lastTransitionTime": existing?["status"].string == conditionStatus ? existing!["lastTransitionTime"] : .string(stamp),
        ]]
        // Conditional on the version read: an eviction that spent a disruption meanwhile wins.
        try await StatusPatch.write(status, to: budget, .podDisruptionBudgets, client: client, conditional: true)
    }

    /// The pods there should be: the replica counts of the selected pods' replica sets and
    /// stateful sets, plus the selected pods without such a controller.
    private func expectedPods(_ selected: [JSON], namespace: String) -> Int {
        var counted = Set<String>()
        var expected = 0
        for pod in selected {
            guard let reference = OwnerReferences.controller(of: pod), let uid = reference["uid"].string, let name = reference["name"].string else {
                expected += 1
                continue
            }
            let owner: JSON?
            switch reference["kind"].string {
            case ReplicaSetController.kind: owner = replicaSets.cache.get(namespace: namespace, name: name)
            case StatefulSetController.kind: owner = statefulSets.cache.get(namespace: namespace, name: name)
            default: owner = nil
            }
            guard let owner, owner["metadata"]["uid"].string == uid else {
                expected += 1
                continue
            }
            if counted.insert(uid).inserted { expected += Int(owner["spec"]["replicas"].int ?? 1) }
        }
        return expected
    }

    /// The pods that must stay healthy: `minAvailable` (a percentage rounds up), or the expected
    /// pods less `maxUnavailable` (a percentage rounds up too, as Kubernetes rounds both).
    static func desiredHealthy(_ spec: JSON, expected: Int) -> Int {
        if !spec["maxUnavailable"].isNull {
            let unavailable = DeploymentController.intOrPercent(spec["maxUnavailable"], default: .count(0)).resolve(of: expected, roundUp: true)
            return max(0, expected - unavailable)
        }
        return DeploymentController.intOrPercent(spec["minAvailable"], default: .count(0)).resolve(of: expected, roundUp: true)
    }
}
