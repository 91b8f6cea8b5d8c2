import FlotillaCore

/// Conversion of HorizontalPodAutoscalers between autoscaling/v1 and autoscaling/v2 (the
/// storage version), as Kubernetes converts them.
///
/// v1's `spec.targetCPUUtilizationPercentage` is v2's `Resource` cpu metric with an
/// `Utilization` target, and v1's `status.currentCPUUtilizationPercentage` the matching entry
/// of `status.currentMetrics`. What v1 cannot express (other metrics, every current metric,
/// conditions, behaviour) travels in annotations of the v1 object, as JSON of the v2 types, so
/// that v2 → v1 → v2 loses nothing; v2 objects never carry those annotations.
public enum HorizontalPodAutoscalerConversion {
    /// The v2 metrics other than the CPU utilization target, as a JSON array.
    public static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    /// Every v2 `status.currentMetrics` entry, as a JSON array.
    public static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    /// The v2 `status.conditions`, as a JSON array.
    public static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"
    /// The v2 `spec.behavior`, as a JSON object.
    public static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"

    /// The annotations that carry v2 fields through v1, with whether each holds an array.
    static let roundTripAnnotations: [(key: String, isArray: Bool)] = [
        (metricsAnnotation, true), (currentMetricsAnnotation, true), (conditionsAnnotation, true), (behaviorAnnotation, false),
    ]

    /// The CPU utilization Kubernetes targets when an autoscaler names no metric.
    static let defaultCPUUtilization: Int64 = 80

    // MARK: v2 → v1

    /// A stored (v2) autoscaler as autoscaling/v1.
    public static func v1(fromV2 object: JSON) -> JSON {
        guard object.object != nil else { return object }
        var out = object
        out["apiVersion"] = "autoscaling/v1"
        var carried: JSONObject = [:]
        let spec = object["spec"]
        var v1Spec: JSONObject = [:]
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] where !spec[key].isNull { v1Spec[key] = spec[key] }
        var others: [JSON] = []
        for metric in spec["metrics"].array ?? [] {
            if v1Spec["targetCPUUtilizationPercentage"] == nil, let utilization = cpuTarget(metric) {
                v1Spec["targetCPUUtilizationPercentage"] = .int(utilization)
            } else {
                others.append(metric)
            }
        }
        if !others.isEmpty { carried[metricsAnnotation] = .array(others) }
        if !spec["behavior"].isNull { carried[behaviorAnnotation] = spec["behavior"] }
        if spec.object != nil { out["spec"] = .object(v1Spec) }

        let status = object["status"]
        var v1Status: JSONObject = [:]
        for key in ["observedGeneration", "lastScaleTime"] where !status[key].isNull { v1Status[key] = status[key] }
        v1Status["currentReplicas"] = .int(status["currentReplicas"].int ?? 0)
        v1Status["desiredReplicas"] = .int(status["desiredReplicas"].int ?? 0)
        let current = status["currentMetrics"].array ?? []
        if let utilization = current.lazy.compactMap(cpuReading).first {
            v1Status["currentCPUUtilizationPercentage"] = .int(utilization)
        }
        if !current.isEmpty { carried[currentMetricsAnnotation] = .array(current) }
        if let conditions = status["conditions"].array, !conditions.isEmpty { carried[conditionsAnnotation] = .array(conditions) }
        out["status"] = .object(v1Status)

        var annotations = object[path: ["metadata", "annotations"]].object ?? [:]
        for (key, _) in roundTripAnnotations { annotations.removeValue(forKey: key) }
        for (key, value) in carried { annotations[key] = .string(value.jsonText) }
        if !annotations.isEmpty { out[path: ["metadata", "annotations"]] = .object(annotations) }
        return out
    }

    /// The utilization of a `Resource` cpu metric with an `Utilization` target.
    private static func cpuTarget(_ metric: JSON) -> Int64? {
        guard metric["type"].string == "Resource", metric[path: ["resource", "name"]].string == "cpu",
            metric[path: ["resource", "target", "type"]].string == "Utilization"
        else { return nil }
        return metric[path: ["resource", "target", "averageUtilization"]].int
    }

    /// The current utilization of a `Resource` cpu metric status.
    private static func cpuReading(_ metric: JSON) -> Int64? {
        guard metric["type"].string == "Resource", metric[path: ["resource", "name"]].string == "cpu" else { return nil }
        return metric[path: ["resource", "current", "averageUtilization"]].int
    }

    // MARK: v1 → v2

    /// An autoscaling/v1 autoscaler as v2. Throws a 400 when a round-trip annotation is not the
    /// JSON it must be.
    public static func v2(fromV1 object: JSON) throws -> JSON {
        guard object.object != nil else { return object }
        var out = object
        out["apiVersion"] = "autoscaling/v2"
        var annotations = object[path: ["metadata", "annotations"]].object ?? [:]
        var carried: [String: JSON] = [:]
        for (key, isArray) in roundTripAnnotations {
            guard let raw = annotations.removeValue(forKey: key) else { continue }
            carried[key] = try decodeAnnotation(key, raw, isArray: isArray)
        }
        if object[path: ["metadata", "annotations"]].object != nil {
            out[path: ["metadata", "annotations"]] = annotations.isEmpty && !carried.isEmpty ? .null : .object(annotations)
        }

        let spec = object["spec"]
        var v2Spec: JSONObject = [:]
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] where !spec[key].isNull { v2Spec[key] = spec[key] }
        var metrics: [JSON] = []
        if let utilization = spec["targetCPUUtilizationPercentage"].int { metrics.append(cpuMetric(utilization)) }
        metrics += carried[metricsAnnotation]?.array ?? []
        if metrics.isEmpty { metrics.append(cpuMetric(defaultCPUUtilization)) }
        v2Spec["metrics"] = .array(metrics)
        if let behavior = carried[behaviorAnnotation] { v2Spec["behavior"] = behavior }
        out["spec"] = .object(v2Spec)

        let status = object["status"]
        var v2Status: JSONObject = [:]
        for key in ["observedGeneration", "lastScaleTime"] where !status[key].isNull { v2Status[key] = status[key] }
        if let replicas = status["currentReplicas"].int, replicas != 0 { v2Status["currentReplicas"] = .int(replicas) }
        if let replicas = status["desiredReplicas"].int, replicas != 0 { v2Status["desiredReplicas"] = .int(replicas) }
        if let current = carried[currentMetricsAnnotation] {
            v2Status["currentMetrics"] = current
        } else if let utilization = status["currentCPUUtilizationPercentage"].int {
            v2Status["currentMetrics"] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": .int(utilization)]]]]
        }
        if let conditions = carried[conditionsAnnotation] { v2Status["conditions"] = conditions }
        // v1 always shows a status; one with nothing observed is no status in v2.
        if v2Status.isEmpty {
            out["status"] = nil
        } else {
            if v2Status["desiredReplicas"] == nil { v2Status["desiredReplicas"] = 0 }
            out["status"] = .object(v2Status)
        }
        return out
    }

    /// A v2 metric targeting `utilization` percent of the pods' requested CPU.
    static func cpuMetric(_ utilization: Int64) -> JSON {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(utilization)]]]
    }

    /// The JSON in a round-trip annotation.
    private static func decodeAnnotation(_ key: String, _ raw: JSON, isArray: Bool) throws -> JSON {
        if let problem = annotationProblem(raw, isArray: isArray) {
            throw FlotillaError(.badRequest, "metadata.annotations[\(key)]: \(problem)")
        }
        return try JSONParser.parse(raw.string ?? "")
    }

    /// Why an annotation value is not the JSON it must be, or nil when it is.
    static func annotationProblem(_ raw: JSON, isArray: Bool) -> String? {
        let expected = isArray ? "a JSON array" : "a JSON object"
        guard let text = raw.string, let value = try? JSONParser.parse(text) else { return "must be \(expected)" }
        let fits = isArray ? value.array?.allSatisfy({ $0.object != nil }) ?? false : value.object != nil
        return fits ? nil : "must be \(expected)" + (isArray ? " of objects" : "")
    }
}
