/// The metrics.k8s.io/v1beta1 kinds that `kubectl top` reads: the current usage of each node
/// and of each pod's containers.
///
/// Field numbers are those of Kubernetes' `metrics/v1beta1` generated.proto.
enum ResourceMetricsSchemas {
    static let prefix = "io.k8s.metrics.pkg.apis.metrics.v1beta1."

    static let definitions: [Definition] = [nodeMetrics, podMetrics, containerMetrics]

    static let nodeMetrics = Definition(
        prefix + "NodeMetrics", "The resource usage of a node over a recent window.",
        gvk: [GroupVersionKind("metrics.k8s.io", "v1beta1", "NodeMetrics")],
        fields: KindFields.object() + window + [
            Field("usage", 4, .map(.quantity), "CPU (cores) and memory (working set bytes) in use.", required: true),
        ])

    static let podMetrics = Definition(
        prefix + "PodMetrics", "The resource usage of a pod's containers over a recent window.",
        gvk: [GroupVersionKind("metrics.k8s.io", "v1beta1", "PodMetrics")],
        fields: KindFields.object() + window + [
            Field("containers", 4, .array(.ref(prefix + "ContainerMetrics")), "The usage of each running container.",
                  required: true, listType: "atomic"),
        ])

    static let containerMetrics = Definition(
        prefix + "ContainerMetrics", "The resource usage of one container.",
        fields: [
            Field("name", 1, .string(), "The container's name in the pod's spec.", required: true),
            Field("usage", 2, .map(.quantity), "CPU (cores) and memory (working set bytes) in use.", required: true),
        ])

    /// `timestamp` (2) and `window` (3): the usage is the average over [timestamp − window, timestamp].
    static let window: [Field] = [
        Field("timestamp", 2, .time, "The end of the window the usage was measured over.", required: true),
        Field("window", 3, .duration, "The length of the window the usage was measured over.", required: true),
    ]
}
