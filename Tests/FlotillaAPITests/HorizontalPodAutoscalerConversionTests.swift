import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite struct HorizontalPodAutoscalerConversionTests {
    typealias C = HorizontalPodAutoscalerConversion

    private let reference: JSON = ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"]

    private func v1(target: Int64? = 70, annotations: JSON = .null, status: JSON = .null) -> JSON {
        var metadata: JSON = ["name": "web", "namespace": "default", "resourceVersion": "12"]
        if !annotations.isNull { metadata["annotations"] = annotations }
        var spec: JSON = ["scaleTargetRef": reference, "minReplicas": 2, "maxReplicas": 5]
        if let target { spec["targetCPUUtilizationPercentage"] = .int(target) }
        var object: JSON = ["apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": metadata, "spec": spec]
        if !status.isNull { object["status"] = status }
        return object
    }

    private static let memory: JSON = [
        "type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "200Mi"]],
    ]
    private static let behavior: JSON = ["scaleDown": ["stabilizationWindowSeconds": 60]]
    private static let condition: JSON = ["type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"]
    private static let cpuReading: JSON = ["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 40]]]
    private static let memoryReading: JSON = ["type": "Resource", "resource": ["name": "memory", "current": ["averageValue": "150Mi"]]]

    /// A v2 autoscaler using everything v1 cannot express.
    private var richV2: JSON {
        [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": ["name": "web", "namespace": "default", "resourceVersion": "12", "annotations": ["team": "a"]],
            "spec": [
                "scaleTargetRef": reference, "minReplicas": 2, "maxReplicas": 5,
                "metrics": [C.cpuMetric(60), Self.memory], "behavior": Self.behavior,
            ],
            "status": [
                "observedGeneration": 3, "currentReplicas": 2, "desiredReplicas": 3,
                "currentMetrics": [Self.cpuReading, Self.memoryReading], "conditions": [Self.condition],
            ],
        ]
    }

    @Test func v1TargetBecomesACPUMetric() throws {
        let v2 = try C.v2(fromV1: v1())
        #expect(v2["apiVersion"] == "autoscaling/v2")
        #expect(v2["kind"] == "HorizontalPodAutoscaler")
        #expect(v2[path: ["spec", "metrics"]] == [C.cpuMetric(70)])
        #expect(v2[path: ["spec", "scaleTargetRef"]] == reference)
        #expect(v2[path: ["spec", "minReplicas"]] == 2)
        #expect(v2[path: ["spec", "maxReplicas"]] == 5)
        #expect(v2[path: ["spec", "targetCPUUtilizationPercentage"]].isNull)
        #expect(v2[path: ["metadata", "resourceVersion"]] == "12")
        #expect(v2["status"].isNull)
    }

    @Test func v1WithoutTargetGetsTheDefaultCPUMetric() throws {
        let v2 = try C.v2(fromV1: v1(target: nil))
        #expect(v2[path: ["spec", "metrics"]] == [C.cpuMetric(80)])
    }

    @Test func v2CPUMetricBecomesTheV1Target() {
        var v2 = richV2
        v2[path: ["spec", "metrics"]] = [C.cpuMetric(75)]
        v2[path: ["spec", "behavior"]] = nil
        v2["status"] = ["currentReplicas": 2, "desiredReplicas": 2, "currentMetrics": [Self.cpuReading]]
        let out = C.v1(fromV2: v2)
        #expect(out["apiVersion"] == "autoscaling/v1")
        #expect(out[path: ["spec", "targetCPUUtilizationPercentage"]] == 75)
        #expect(out[path: ["spec", "metrics"]].isNull)
        #expect(out[path: ["status", "currentCPUUtilizationPercentage"]] == 40)
        #expect(out[path: ["status", "currentReplicas"]] == 2)
        #expect(out[path: ["metadata", "annotations", C.metricsAnnotation]].isNull)
        // Every current metric is kept, the CPU one included, as Kubernetes does.
        let current = try? JSONParser.parse(out[path: ["metadata", "annotations", C.currentMetricsAnnotation]].string ?? "")
        #expect(current == [Self.cpuReading])
    }

    @Test func whatV1CannotExpressTravelsInAnnotations() throws {
        let out = C.v1(fromV2: richV2)
        let annotations = out[path: ["metadata", "annotations"]]
        #expect(annotations["team"] == "a")
        #expect(try JSONParser.parse(annotations[C.metricsAnnotation].string ?? "") == [Self.memory])
        #expect(try JSONParser.parse(annotations[C.behaviorAnnotation].string ?? "") == Self.behavior)
        #expect(try JSONParser.parse(annotations[C.conditionsAnnotation].string ?? "") == [Self.condition])
        #expect(try JSONParser.parse(annotations[C.currentMetricsAnnotation].string ?? "") == [Self.cpuReading, Self.memoryReading])
        #expect(out["spec"] == ["scaleTargetRef": reference, "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 60])
        #expect(out["status"] == [
            "observedGeneration": 3, "currentReplicas": 2, "desiredReplicas": 3, "currentCPUUtilizationPercentage": 40,
        ])
    }

    @Test func v2ToV1ToV2LosesNothing() throws {
        let back = try C.v2(fromV1: C.v1(fromV2: richV2))
        #expect(back.isEquivalent(to: richV2))
        #expect(back[path: ["metadata", "annotations"]] == ["team": "a"])
    }

    @Test func v1ToV2ToV1KeepsTheV1Fields() throws {
        let original = v1(annotations: ["team": "a"], status: ["currentReplicas": 1, "desiredReplicas": 2, "currentCPUUtilizationPercentage": 90])
        let back = C.v1(fromV2: try C.v2(fromV1: original))
        #expect(back["spec"] == original["spec"])
        #expect(back[path: ["status", "currentCPUUtilizationPercentage"]] == 90)
        #expect(back[path: ["status", "desiredReplicas"]] == 2)
        #expect(back[path: ["metadata", "annotations", "team"]] == "a")
    }

    @Test func roundTripAnnotationsNeverReachV2() throws {
        let carried = C.v1(fromV2: richV2)
        let v2 = try C.v2(fromV1: carried)
        for (key, _) in C.roundTripAnnotations { #expect(v2[path: ["metadata", "annotations", key]].isNull) }
        // Only round-trip annotations: no annotations at all in v2.
        var bare = richV2
        bare[path: ["metadata", "annotations"]] = nil
        let again = try C.v2(fromV1: C.v1(fromV2: bare))
        #expect(again[path: ["metadata", "annotations"]].isNull)
        // A v2 write carrying them has them dropped by defaulting.
        var written = richV2
        written[path: ["metadata", "annotations", C.metricsAnnotation]] = "[]"
        HorizontalPodAutoscalers.defaults(&written)
        #expect(written[path: ["metadata", "annotations"]] == ["team": "a"])
    }

    @Test func statusWithNothingObservedIsNoV2Status() throws {
        let v2 = try C.v2(fromV1: v1(status: ["currentReplicas": 0, "desiredReplicas": 0]))
        #expect(v2["status"].isNull)
        let served = C.v1(fromV2: v2)
        #expect(served["status"] == ["currentReplicas": 0, "desiredReplicas": 0])
    }

    @Test func malformedAnnotationsAreRejected() {
        #expect(throws: FlotillaError.self) { try C.v2(fromV1: v1(annotations: [C.metricsAnnotation: "not json"])) }
        #expect(throws: FlotillaError.self) { try C.v2(fromV1: v1(annotations: [C.behaviorAnnotation: "[1]"])) }
        #expect(throws: FlotillaError.self) { try C.v2(fromV1: v1(annotations: [C.conditionsAnnotation: "[1, 2]"])) }
        let causes = HorizontalPodAutoscalersV1.validate(v1(annotations: [C.metricsAnnotation: "{}"]))
        #expect(causes.map(\.field) == ["metadata.annotations[\(C.metricsAnnotation)]"])
    }

    @Test func v1ValidationNamesV1Fields() {
        #expect(HorizontalPodAutoscalersV1.validate(v1()).isEmpty)
        let causes = HorizontalPodAutoscalersV1.validate(
            ["spec": ["scaleTargetRef": ["kind": "Deployment"], "minReplicas": 0, "maxReplicas": 3, "targetCPUUtilizationPercentage": 0]])
        #expect(Set(causes.map(\.field)) == ["spec.scaleTargetRef.name", "spec.minReplicas", "spec.targetCPUUtilizationPercentage"])
        let bounds = HorizontalPodAutoscalersV1.validate(["spec": ["scaleTargetRef": reference, "minReplicas": 4, "maxReplicas": 3]])
        #expect(bounds.map(\.field) == ["spec.maxReplicas"])
    }

    @Test func v1TableShowsV2Targets() {
        let served = C.v1(fromV2: richV2)
        let names = HorizontalPodAutoscalersV1.columns.map(\.name)
        #expect(names == ["Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"])
        let cells = HorizontalPodAutoscalersV1.columns.prefix(5).map { $0.cell(served, .now) }
        #expect(cells == ["Deployment/web", "cpu: 40%/60%, memory: 150Mi/200Mi", "2", 5, 2])
    }
}
