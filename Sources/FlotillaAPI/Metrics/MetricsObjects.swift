import FlotillaCore
import Foundation

/// NodeMetrics and PodMetrics objects in Kubernetes' shape, from an agent's ``UsageReport``:
/// CPU in cores as nano-core quantities (`"12345678n"`, `"200m"`), memory as byte quantities
/// (`"51200Ki"`), `timestamp` and `window` bounding the measurement.
public enum MetricsObjects {
    /// The NodeMetrics of node `name`, carrying the Node's `labels`.
    public static func node(_ name: String, labels: JSON, _ sample: UsageReport.Sample, now: Date = Date()) -> JSON {
        [
            "kind": "NodeMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": metadata(name: name, namespace: nil, labels: labels, now: now),
            "timestamp": .string(Timestamp.format(sample.timestamp)),
            "window": .string(GoDuration.format(nanoseconds: sample.windowNanoseconds)), "usage": usage(sample),
        ]
    }

    /// The PodMetrics of `pod`, carrying the Pod's `labels`: its latest reading and longest window.
    public static func pod(_ pod: UsageReport.Pod, labels: JSON, now: Date = Date()) -> JSON {
        let timestamp = pod.containers.map(\.sample.timestamp).max() ?? now
        let window = pod.containers.map(\.sample.windowNanoseconds).max() ?? 0
        return [
            "kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": metadata(name: pod.name, namespace: pod.namespace, labels: labels, now: now),
            "timestamp": .string(Timestamp.format(timestamp)), "window": .string(GoDuration.format(nanoseconds: window)),
            "containers": .array(pod.containers.map { ["name": .string($0.name), "usage": usage($0.sample)] }),
        ]
    }

    /// `{"cpu": …, "memory": …}`.
    static func usage(_ sample: UsageReport.Sample) -> JSON {
        ["cpu": .string(cpu(nanoCores: sample.cpuNanoCores)), "memory": .string(memory(bytes: sample.memoryWorkingSetBytes))]
    }

    /// A CPU rate as a quantity of cores: `"1234567n"`, `"250m"`, `"2"`.
    public static func cpu(nanoCores: UInt64) -> String {
        Quantity(nanos: Int128(nanoCores), format: .decimalSI).canonical
    }

    /// Bytes as a binary quantity: `"51200Ki"`, `"1Gi"`, or plain bytes when not a whole KiB.
    public static func memory(bytes: UInt64) -> String {
        Quantity(bytes: Int64(clamping: bytes)).canonical
    }

    private static func metadata(name: String, namespace: String?, labels: JSON, now: Date) -> JSON {
        var meta: JSONObject = ["name": .string(name), "creationTimestamp": .string(Timestamp.format(now))]
        if let namespace { meta["namespace"] = .string(namespace) }
        if !(labels.object ?? [:]).isEmpty { meta["labels"] = labels }
        return .object(meta)
    }
}
