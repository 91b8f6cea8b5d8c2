/// The autoscaling definitions: the v1 `Scale` served by `scale` subresources, the v1
/// HorizontalPodAutoscaler (CPU utilization only), and the v2 HorizontalPodAutoscaler with its
/// metric sources and scaling behaviour.
///
/// Field numbers are those of Kubernetes' `autoscaling/v1` and `autoscaling/v2` generated.proto.
enum AutoscalingSchemas {
    static let definitions: [Definition] = [
        scale, scaleSpec, scaleStatus,
        v1HorizontalPodAutoscaler, v1HPASpec, v1HPAStatus, v1CrossVersionObjectReference,
        horizontalPodAutoscaler, hpaSpec, crossVersionObjectReference, metricSpec, objectMetricSource,
        podsMetricSource, resourceMetricSource, containerResourceMetricSource, externalMetricSource,
        metricIdentifier, metricTarget, hpaBehavior, hpaScalingRules, hpaScalingPolicy, hpaStatus,
        metricStatus, objectMetricStatus, podsMetricStatus, resourceMetricStatus, containerResourceMetricStatus,
        externalMetricStatus, metricValueStatus, hpaCondition,
    ] + KindFields.lists(of: [v1 + "HorizontalPodAutoscaler"])

    static let v1 = "io.k8s.api.autoscaling.v1."
    static let v2 = "io.k8s.api.autoscaling.v2."

    // MARK: autoscaling/v1 Scale

    static let scale = Definition(
        v1 + "Scale", "The replica count of a scalable resource, read and written through its scale subresource.",
        gvk: [GroupVersionKind("autoscaling", "v1", "Scale")],
        fields: KindFields.object(spec: v1 + "ScaleSpec", status: v1 + "ScaleStatus"))

    static let scaleSpec = Definition(
        v1 + "ScaleSpec", "The desired replica count.",
        fields: [Field("replicas", 1, .int32, "How many replicas the resource should have.")])

    static let scaleStatus = Definition(
        v1 + "ScaleStatus", "The observed replica count and the selector of the scaled pods.",
        fields: [
            Field("replicas", 1, .int32, "How many replicas were last observed.", required: true),
            Field("selector", 2, .string(), "The label selector of the pods, in its string form."),
        ])

    // MARK: autoscaling/v1 HorizontalPodAutoscaler

    static let v1HorizontalPodAutoscaler = Definition(
        v1 + "HorizontalPodAutoscaler", "Adjusts the replica count of a scalable resource to keep its pods' average CPU near a target.",
        gvk: [GroupVersionKind("autoscaling", "v1", "HorizontalPodAutoscaler")],
        fields: KindFields.object(spec: v1 + "HorizontalPodAutoscalerSpec", status: v1 + "HorizontalPodAutoscalerStatus"))

    static let v1HPASpec = Definition(
        v1 + "HorizontalPodAutoscalerSpec", "What an autoscaler scales, between which bounds, at which CPU utilization.",
        fields: [
            Field("scaleTargetRef", 1, .ref(v1 + "CrossVersionObjectReference"), "The resource whose scale subresource is adjusted.", required: true),
            Field("minReplicas", 2, .int32, "The fewest replicas; defaults to 1.", presence: .pointer),
            Field("maxReplicas", 3, .int32, "The most replicas; at least minReplicas.", required: true),
            Field("targetCPUUtilizationPercentage", 4, .int32,
                  "The average CPU to keep, as a percentage of the pods' requests; 80 when left out.", presence: .pointer),
        ])

    static let v1HPAStatus = Definition(
        v1 + "HorizontalPodAutoscalerStatus", "What the autoscaler last observed and decided.",
        fields: [
            Field("observedGeneration", 1, .int64, "The generation the autoscaler last acted on.", presence: .pointer),
            Field("lastScaleTime", 2, .time, "When the autoscaler last changed the replica count."),
            Field("currentReplicas", 3, .int32, "The replica count last seen.", required: true),
            Field("desiredReplicas", 4, .int32, "The replica count last computed.", required: true),
            Field("currentCPUUtilizationPercentage", 5, .int32,
                  "The pods' average CPU last read, as a percentage of their requests.", presence: .pointer),
        ])

    static let v1CrossVersionObjectReference = Definition(
        v1 + "CrossVersionObjectReference", "A reference to an object by kind, name and API version.",
        fields: [
            Field("kind", 1, .string(), "The kind of the object, e.g. Deployment.", required: true),
            Field("name", 2, .string(), "The name of the object.", required: true),
            Field("apiVersion", 3, .string(), "The API version of the object, e.g. apps/v1."),
        ])

    // MARK: autoscaling/v2 HorizontalPodAutoscaler

    static let horizontalPodAutoscaler = Definition(
        v2 + "HorizontalPodAutoscaler", "Adjusts the replica count of a scalable resource from observed metrics.",
        gvk: [GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler")],
        fields: KindFields.object(spec: v2 + "HorizontalPodAutoscalerSpec", status: v2 + "HorizontalPodAutoscalerStatus"))

    static let hpaSpec = Definition(
        v2 + "HorizontalPodAutoscalerSpec", "What an autoscaler scales, between which bounds, on which metrics.",
        fields: [
            Field("scaleTargetRef", 1, .ref(v2 + "CrossVersionObjectReference"), "The resource whose scale subresource is adjusted.", required: true),
            Field("minReplicas", 2, .int32, "The fewest replicas; defaults to 1."),
            Field("maxReplicas", 3, .int32, "The most replicas; at least minReplicas.", required: true),
            Field("metrics", 4, .array(.ref(v2 + "MetricSpec")), "Metrics whose largest proposal wins; defaults to 80% average CPU.", listType: "atomic"),
            Field("behavior", 5, .ref(v2 + "HorizontalPodAutoscalerBehavior"), "How fast scaling up and down may go."),
        ])

    static let crossVersionObjectReference = Definition(
        v2 + "CrossVersionObjectReference", "A reference to an object by kind, name and API version.",
        fields: [
            Field("kind", 1, .string(), "The kind of the object, e.g. Deployment.", required: true),
            Field("name", 2, .string(), "The name of the object.", required: true),
            Field("apiVersion", 3, .string(), "The API version of the object, e.g. apps/v1."),
        ])

    static let metricSpec = Definition(
        v2 + "MetricSpec", "One metric to scale on: its type and the matching source.",
        fields: [
            Field("type", 1, .string(enumValues: ["ContainerResource", "External", "Object", "Pods", "Resource"]),
                  "Which source below is set.", required: true),
            Field("object", 2, .ref(v2 + "ObjectMetricSource"), "A metric of one object."),
            Field("pods", 3, .ref(v2 + "PodsMetricSource"), "A metric averaged over the target's pods."),
            Field("resource", 4, .ref(v2 + "ResourceMetricSource"), "A resource (cpu, memory) of the target's pods."),
            Field("containerResource", 7, .ref(v2 + "ContainerResourceMetricSource"), "A resource of one container in the target's pods."),
            Field("external", 5, .ref(v2 + "ExternalMetricSource"), "A metric from outside the cluster."),
        ])

    static let objectMetricSource = Definition(
        v2 + "ObjectMetricSource", "A metric describing one object.",
        fields: [
            Field("describedObject", 1, .ref(v2 + "CrossVersionObjectReference"), "The object the metric describes.", required: true),
            Field("target", 2, .ref(v2 + "MetricTarget"), "The target value.", required: true),
            Field("metric", 3, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
        ])

    static let podsMetricSource = Definition(
        v2 + "PodsMetricSource", "A metric of each pod, averaged.",
        fields: [
            Field("metric", 1, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
            Field("target", 2, .ref(v2 + "MetricTarget"), "The target value.", required: true),
        ])

    static let resourceMetricSource = Definition(
        v2 + "ResourceMetricSource", "A resource of each pod, such as cpu or memory, averaged.",
        fields: [
            Field("name", 1, .string(), "The resource name.", required: true),
            Field("target", 2, .ref(v2 + "MetricTarget"), "The target value.", required: true),
        ])

    static let containerResourceMetricSource = Definition(
        v2 + "ContainerResourceMetricSource", "A resource of one container of each pod, averaged.",
        fields: [
            Field("name", 1, .string(), "The resource name.", required: true),
            Field("target", 2, .ref(v2 + "MetricTarget"), "The target value.", required: true),
            Field("container", 3, .string(), "The container name.", required: true),
        ])

    static let externalMetricSource = Definition(
        v2 + "ExternalMetricSource", "A metric not tied to any object of the cluster.",
        fields: [
            Field("metric", 1, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
            Field("target", 2, .ref(v2 + "MetricTarget"), "The target value.", required: true),
        ])

    static let metricIdentifier = Definition(
        v2 + "MetricIdentifier", "A metric's name and an optional selector narrowing it.",
        fields: [
            Field("name", 1, .string(), "The metric name.", required: true),
            Field("selector", 2, .ref(KindFields.labelSelector), "Labels passed to the metrics source."),
        ])

    static let metricTarget = Definition(
        v2 + "MetricTarget", "The value, average value or average utilization a metric should have.",
        fields: [
            Field("type", 1, .string(enumValues: ["AverageValue", "Utilization", "Value"]), "Utilization, Value or AverageValue.", required: true),
            Field("value", 2, .quantity, "The target value."),
            Field("averageValue", 3, .quantity, "The target average over pods."),
            Field("averageUtilization", 4, .int32, "The target average, as a percentage of the pods' requests."),
        ])

    static let hpaBehavior = Definition(
        v2 + "HorizontalPodAutoscalerBehavior", "Scaling rules for each direction.",
        fields: [
            Field("scaleUp", 1, .ref(v2 + "HPAScalingRules"), "Rules for scaling up."),
            Field("scaleDown", 2, .ref(v2 + "HPAScalingRules"), "Rules for scaling down."),
        ])

    static let hpaScalingRules = Definition(
        v2 + "HPAScalingRules", "How fast an autoscaler may change the replica count in one direction.",
        fields: [
            Field("stabilizationWindowSeconds", 3, .int32, "Seconds of past proposals considered before acting."),
            Field("selectPolicy", 1, .string(enumValues: ["Disabled", "Max", "Min"]), "Which policy wins: Max (the default), Min or Disabled."),
            Field("policies", 2, .array(.ref(v2 + "HPAScalingPolicy")), "Limits on the change per period.", listType: "atomic"),
        ])

    static let hpaScalingPolicy = Definition(
        v2 + "HPAScalingPolicy", "A limit on how much the replica count may change in a period.",
        fields: [
            Field("type", 1, .string(enumValues: ["Percent", "Pods"]), "Pods or Percent.", required: true),
            Field("value", 2, .int32, "The allowed change; greater than zero.", required: true),
            Field("periodSeconds", 3, .int32, "The period the limit applies to, up to 1800 seconds.", required: true),
        ])

    static let hpaStatus = Definition(
        v2 + "HorizontalPodAutoscalerStatus", "What the autoscaler last observed and decided.",
        fields: [
            Field("observedGeneration", 1, .int64, "The generation the autoscaler last acted on."),
            Field("lastScaleTime", 2, .time, "When the autoscaler last changed the replica count."),
            Field("currentReplicas", 3, .int32, "The replica count last seen."),
            Field("desiredReplicas", 4, .int32, "The replica count last computed.", required: true),
            Field("currentMetrics", 5, .array(.ref(v2 + "MetricStatus")), "The metric values last read.", listType: "atomic"),
            Field("conditions", 6, .array(.ref(v2 + "HorizontalPodAutoscalerCondition")), "Whether the autoscaler can scale, and why.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
        ])

    static let metricStatus = Definition(
        v2 + "MetricStatus", "The last value read for one metric.",
        fields: [
            Field("type", 1, .string(enumValues: ["ContainerResource", "External", "Object", "Pods", "Resource"]), "Which source below is set.", required: true),
            Field("object", 2, .ref(v2 + "ObjectMetricStatus"), "An object metric's value."),
            Field("pods", 3, .ref(v2 + "PodsMetricStatus"), "A pods metric's value."),
            Field("resource", 4, .ref(v2 + "ResourceMetricStatus"), "A resource metric's value."),
            Field("containerResource", 7, .ref(v2 + "ContainerResourceMetricStatus"), "A container resource metric's value."),
            Field("external", 5, .ref(v2 + "ExternalMetricStatus"), "An external metric's value."),
        ])

    static let objectMetricStatus = Definition(
        v2 + "ObjectMetricStatus", "The value of a metric describing one object.",
        fields: [
            Field("metric", 1, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
            Field("current", 2, .ref(v2 + "MetricValueStatus"), "The value read.", required: true),
            Field("describedObject", 3, .ref(v2 + "CrossVersionObjectReference"), "The object the metric describes.", required: true),
        ])

    static let podsMetricStatus = Definition(
        v2 + "PodsMetricStatus", "The average value of a per-pod metric.",
        fields: [
            Field("metric", 1, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
            Field("current", 2, .ref(v2 + "MetricValueStatus"), "The value read.", required: true),
        ])

    static let resourceMetricStatus = Definition(
        v2 + "ResourceMetricStatus", "The average value of a pod resource.",
        fields: [
            Field("name", 1, .string(), "The resource name.", required: true),
            Field("current", 2, .ref(v2 + "MetricValueStatus"), "The value read.", required: true),
        ])

    static let containerResourceMetricStatus = Definition(
        v2 + "ContainerResourceMetricStatus", "The average value of one container's resource.",
        fields: [
            Field("name", 1, .string(), "The resource name.", required: true),
            Field("current", 2, .ref(v2 + "MetricValueStatus"), "The value read.", required: true),
            Field("container", 3, .string(), "The container name.", required: true),
        ])

    static let externalMetricStatus = Definition(
        v2 + "ExternalMetricStatus", "The value of a metric from outside the cluster.",
        fields: [
            Field("metric", 1, .ref(v2 + "MetricIdentifier"), "Which metric.", required: true),
            Field("current", 2, .ref(v2 + "MetricValueStatus"), "The value read.", required: true),
        ])

    static let metricValueStatus = Definition(
        v2 + "MetricValueStatus", "A metric value as read: total, average or utilization.",
        fields: [
            Field("value", 1, .quantity, "The value."),
            Field("averageValue", 2, .quantity, "The average over pods."),
            Field("averageUtilization", 3, .int32, "The average as a percentage of the pods' requests."),
        ])

    static let hpaCondition = Definition(
        v2 + "HorizontalPodAutoscalerCondition", "One observation of an autoscaler's state.",
        fields: KindFields.condition(transitionNumber: 3, reasonNumber: 4, messageNumber: 5))
}
