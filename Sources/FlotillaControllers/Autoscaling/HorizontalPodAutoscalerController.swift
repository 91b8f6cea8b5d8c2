import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Scales deployments, replica sets and stateful sets on their pods' resource usage, as
/// Kubernetes' horizontal pod autoscaler does (autoscaling/v2, `Resource` metrics): every
/// sync period it reads the target's scale, the selected pods' usage from the metrics API
/// (metrics.k8s.io, which the agents measure), asks ``ReplicaCalculator`` for each metric,
/// takes the highest, applies ``ScalingBehavior`` and the min/max, sets the scale and writes
/// `status` (current metrics and the AbleToScale, ScalingActive, ScalingLimited conditions)
/// so that `kubectl get hpa` shows the targets.
final class HorizontalPodAutoscalerController: Sendable {
    static let metricsResource = ResourceRef(group: "metrics.k8s.io", version: "v1beta1", plural: "pods", kind: "PodMetrics", namespaced: true)

    private let client: KubernetesClient
    private let autoscalers: Informer
    private let pods: Informer
    private let events: EventRecorder
    private let period: Duration
    private let logger: Logger
    /// Per autoscaler: its recent recommendations and changes.
    private let history = Locked<[String: (recommendations: [ScalingBehavior.Entry], changes: [ScalingBehavior.Entry])]>([:])

    init(client: KubernetesClient, autoscalers: Informer, pods: Informer, events: EventRecorder, period: Duration, logger: Logger) {
        self.client = client
        self.autoscalers = autoscalers
        self.pods = pods
        self.events = events
        self.period = period
        self.logger = logger
    }

    /// Syncs every autoscaler each period until cancelled.
    func run() async {
        while !Task.isCancelled {
            for autoscaler in autoscalers.cache.list() {
                do {
                    try await sync(autoscaler)
                } catch is CancellationError {
                    return
                } catch {
                    logger.debug("autoscaler sync failed", metadata: ["hpa": .string(ObjectCache.key(for: autoscaler)), "error": .string("\(error)")])
                }
            }
            try? await Task.sleep(for: period)
        }
    }

    private func target(_ reference: JSON) -> ResourceRef? {
        switch reference["kind"].string {
        case "Deployment": return .deployments
        case "ReplicaSet": return .replicaSets
        case "StatefulSet": return .statefulSets
        default: return nil
        }
    }

    func sync(_ autoscaler: JSON) async throws {
        let key = ObjectCache.key(for: autoscaler)
        guard let namespace = autoscaler["metadata"]["namespace"].string else { return }
        let spec = autoscaler["spec"]
        let reference = spec["scaleTargetRef"]
        let minReplicas = Int(spec["minReplicas"].int ?? 1)
        let maxReplicas = Int(spec["maxReplicas"].int ?? 1)
        var status: JSON = autoscaler["status"].object == nil ? .emptyObject : autoscaler["status"]
        status["observedGeneration"] = autoscaler["metadata"]["generation"]
        var conditions = status["conditions"].array ?? []
        let now = Date()
        let stamp = Timestamp.format(now)
        func condition(_ type: String, _ value: String, _ reason: String, _ message: String) {
            conditions = DeploymentConditions.set(conditions, type: type, status: value, reason: reason, message: message, now: stamp)
            if let index = conditions.firstIndex(where: { $0["type"].string == type }), var object = conditions[index].object {
                object["lastUpdateTime"] = nil
                conditions[index] = .object(object)
            }
        }

        guard let resource = target(reference), let name = reference["name"].string else {
            condition("AbleToScale", "False", "FailedGetScale", "the HPA controller was unable to get the target's current scale: no scale subresource for \(reference["kind"].string ?? "")")
            return try await write(status, conditions, autoscaler)
        }
        let scale: JSON
        do {
            scale = try await client.scale(resource, namespace: namespace, name: name)
        } catch let error as FlotillaError {
            condition("AbleToScale", "False", "FailedGetScale", "the HPA controller was unable to get the target's current scale: \(error.message)")
            return try await write(status, conditions, autoscaler)
        }
        let current = Int(scale["spec"]["replicas"].int ?? 0)
        status["currentReplicas"] = .int(Int64(current))
        if current == 0, minReplicas > 0 {
            condition("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
            status["desiredReplicas"] = 0
            return try await write(status, conditions, autoscaler)
        }

        // Outside the bounds the bounds win, whatever the metrics say (as in Kubernetes).
        if current > maxReplicas || current < minReplicas {
            let bounded = min(max(current, minReplicas), maxReplicas)
            _ = try await client.scale(resource, namespace: namespace, name: name, replicas: bounded)
            let reason = current > maxReplicas ? "Current number of replicas above Spec.MaxReplicas" : "Current number of replicas below Spec.MinReplicas"
            events.record(autoscaler, apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", reason: "SuccessfulRescale", message: "New size: \(bounded); reason: \(reason)")
            condition("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to \(bounded)")
            status["desiredReplicas"] = .int(Int64(bounded))
            status["lastScaleTime"] = .string(stamp)
            return try await write(status, conditions, autoscaler)
        }

        let selector = try LabelSelector(parsing: scale["status"]["selector"].string ?? "")
        let selected = pods.cache.list(namespace: namespace).filter {
            selector.matches(labels: $0["metadata"]["labels"]) && PodState.isActive($0) && $0["status"]["phase"].string == "Running"
        }
        var usage: [String: JSON] = [:]
        do {
            let list = try await client.list(Self.metricsResource, namespace: namespace, labelSelector: scale["status"]["selector"].string)
            for item in list.items { if let podName = item["metadata"]["name"].string { usage[podName] = item } }
        } catch let error as FlotillaError {
            condition("ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: \(error.message)")
            return try await write(status, conditions, autoscaler)
        }

        var recommendation = 0
        var currentMetrics: [JSON] = []
        var described: [String] = []
        for metric in spec["metrics"].array ?? [] {
            guard metric["type"].string == "Resource", let resourceName = metric["resource"]["name"].string else {
                condition("ScalingActive", "False", "InvalidMetricSourceType", "the HPA supports Resource metrics (cpu, memory); got \(metric["type"].string ?? "")")
                return try await write(status, conditions, autoscaler)
            }
            let samples = selected.compactMap { pod -> ReplicaCalculator.Sample? in
                guard let measured = usage[pod["metadata"]["name"].string ?? ""] else { return nil }
                return .init(requestMilli: ReplicaCalculator.requestMilli(of: pod, resource: resourceName), usageMilli: ReplicaCalculator.usageMilli(of: measured, resource: resourceName))
            }
            do {
                let result = try ReplicaCalculator.recommend(metric, samples: samples, current: current)
                recommendation = max(recommendation, result.replicas)
                var value: JSON = ["averageValue": Quantity(nanos: Int128(result.averageValueMilli) * 1_000_000).json]
                if let utilization = result.averageUtilization { value["averageUtilization"] = .int(Int64(utilization)) }
                currentMetrics.append(["type": "Resource", "resource": ["name": .string(resourceName), "current": value]])
                described.append(result.averageUtilization != nil ? "\(resourceName) resource utilization (percentage of request)" : "\(resourceName) resource")
            } catch let error as FlotillaError {
                condition("ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: \(error.message)")
                return try await write(status, conditions, autoscaler)
            }
        }
        status["currentMetrics"] = .array(currentMetrics)

        let past = history.withLock { $0[key] ?? ([], []) }
        let behavior = ScalingBehavior(spec: spec["behavior"])
        let desired = behavior.desired(
            current: current, recommendation: recommendation, recommendations: past.recommendations, changes: past.changes, now: now,
            minReplicas: minReplicas, maxReplicas: maxReplicas)
        history.withLock { all in
            var entry = all[key] ?? ([], [])
            entry.recommendations = (entry.recommendations + [.init(at: now, replicas: recommendation)]).filter { now.timeIntervalSince($0.at) <= 600 }
            if desired != current { entry.changes.append(.init(at: now, replicas: desired - current)) }
            entry.changes = entry.changes.filter { now.timeIntervalSince($0.at) <= 600 }
            all[key] = entry
        }
        condition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from \(described.first ?? "its metrics")")
        if recommendation > maxReplicas {
            condition("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count")
        } else if recommendation < minReplicas {
            condition("ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count")
        } else {
            condition("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range")
        }
        status["desiredReplicas"] = .int(Int64(desired))
        if desired != current {
            _ = try await client.scale(resource, namespace: namespace, name: name, replicas: desired)
            status["lastScaleTime"] = .string(stamp)
            let direction = desired > current ? "above" : "below"
            events.record(autoscaler, apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", reason: "SuccessfulRescale",
                          message: "New size: \(desired); reason: \(described.first ?? "metrics") \(direction) target")
            condition("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to \(desired)")
        } else {
            condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        }
        try await write(status, conditions, autoscaler)
    }

    private func write(_ status: JSON, _ conditions: [JSON], _ autoscaler: JSON) async throws {
        var status = status
        status["conditions"] = .array(conditions)
        if status["desiredReplicas"].isNull { status["desiredReplicas"] = status["currentReplicas"].isNull ? 0 : status["currentReplicas"] }
        try await StatusPatch.write(status, to: autoscaler, Self.autoscalersResource, client: client)
    }

    static let autoscalersResource = ResourceRef(
        group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true)
}
