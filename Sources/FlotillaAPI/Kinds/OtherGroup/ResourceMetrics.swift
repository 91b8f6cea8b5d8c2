import FlotillaCore

/// The read-only metrics.k8s.io/v1beta1 resources `nodes` (NodeMetrics) and `pods` (PodMetrics):
/// computed from what the node agents measure when they are read, never stored or written.
public enum ResourceMetrics {
    public static let group = "metrics.k8s.io"
    static let readOnly = ["get", "list"]

    static let nodes = ResourceDefinition(
        group: group, version: "v1beta1", kind: "NodeMetrics", plural: "nodes", namespaced: false, verbs: readOnly,
        schema: ResourceMetricsSchemas.prefix + "NodeMetrics", hasSpec: false,
        columns: [cpu { $0["usage"] }, memory { $0["usage"] }, windowColumn])

    static let pods = ResourceDefinition(
        group: group, version: "v1beta1", kind: "PodMetrics", plural: "pods", namespaced: true, verbs: readOnly,
        schema: ResourceMetricsSchemas.prefix + "PodMetrics", hasSpec: false,
        columns: [cpu(containersTotal), memory(containersTotal), windowColumn])

    static let all = [nodes, pods]

    /// Whether `resource` is one of these computed resources.
    public static func handles(_ resource: ResourceDefinition) -> Bool {
        resource.group == group
    }

    /// The name Kubernetes gives the resource in its errors: `nodemetrics` or `podmetrics`.
    public static func errorResource(_ resource: ResourceDefinition) -> String {
        resource.kind.lowercased()
    }

    static func cpu(_ usage: @escaping @Sendable (JSON) -> JSON) -> TableColumn {
        TableColumn("CPU", description: "CPU in use, in cores.") { o, _ in
            .string(Quantity(usage(o)["cpu"].string ?? "").map { "\($0.milliValue)m" } ?? "")
        }
    }

    static func memory(_ usage: @escaping @Sendable (JSON) -> JSON) -> TableColumn {
        TableColumn("Memory", description: "Memory working set, in bytes.") { o, _ in
            .string(Quantity(usage(o)["memory"].string ?? "").map { "\($0.integerValue / (1024 * 1024))Mi" } ?? "")
        }
    }

    static let windowColumn = TableColumn("Window", description: "The window the usage was averaged over.") { o, _ in
        o["window"]
    }

    /// The summed usage of a pod's containers, as quantities.
    @Sendable static func containersTotal(_ pod: JSON) -> JSON {
        var cpu: Int128 = 0
        var memory: Int128 = 0
        for container in pod["containers"].array ?? [] {
            cpu += Quantity(container["usage"]["cpu"].string ?? "")?.nanos ?? 0
            memory += Quantity(container["usage"]["memory"].string ?? "")?.nanos ?? 0
        }
        return [
            "cpu": .string(Quantity(nanos: cpu).canonical), "memory": .string(Quantity(nanos: memory, format: .binarySI).canonical),
        ]
    }
}
