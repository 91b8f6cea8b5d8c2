import FlotillaCore
import Foundation

/// What a node's agent measured for the metrics API: the node's usage and that of each running
/// container, grouped by pod. The agent serves it as JSON at `/stats/summary`; the API server
/// turns it into NodeMetrics and PodMetrics.
public struct UsageReport: Sendable, Equatable {
    /// CPU as a rate and memory as a level, averaged over `window` up to `timestamp`.
    public struct Sample: Sendable, Equatable {
        public var timestamp: Date
        /// The time between the two CPU readings the rate comes from, in nanoseconds.
        public var windowNanoseconds: Int64
        /// CPU in use, in billionths of a core.
        public var cpuNanoCores: UInt64
        /// Memory in use that cannot be reclaimed at once (the working set), in bytes.
        public var memoryWorkingSetBytes: UInt64

        public init(timestamp: Date, windowNanoseconds: Int64, cpuNanoCores: UInt64, memoryWorkingSetBytes: UInt64) {
            self.timestamp = timestamp
            self.windowNanoseconds = windowNanoseconds
            self.cpuNanoCores = cpuNanoCores
            self.memoryWorkingSetBytes = memoryWorkingSetBytes
        }
    }

    /// One container's usage, by its name in the pod.
    public struct Container: Sendable, Equatable {
        public var name: String
        public var sample: Sample

        public init(name: String, sample: Sample) {
            self.name = name
            self.sample = sample
        }
    }

    /// The running containers of one pod.
    public struct Pod: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var uid: String
        public var containers: [Container]

        public init(name: String, namespace: String, uid: String, containers: [Container]) {
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.containers = containers
        }
    }

    public var node: Sample
    public var pods: [Pod]

    public init(node: Sample, pods: [Pod]) {
        self.node = node
        self.pods = pods
    }

    public var json: JSON {
        [
            "node": Self.json(node),
            "pods": .array(pods.map { pod in
                [
                    "name": .string(pod.name), "namespace": .string(pod.namespace), "uid": .string(pod.uid),
                    "containers": .array(pod.containers.map { ["name": .string($0.name), "usage": Self.json($0.sample)] }),
                ]
            }),
        ]
    }

    /// The report from its JSON; a malformed report is an internal error.
    public init(json: JSON) throws {
        node = try Self.sample(json["node"])
        pods = try (json["pods"].array ?? []).map { pod in
            Pod(
                name: pod["name"].string ?? "", namespace: pod["namespace"].string ?? "", uid: pod["uid"].string ?? "",
                containers: try (pod["containers"].array ?? []).map {
                    Container(name: $0["name"].string ?? "", sample: try Self.sample($0["usage"]))
                })
        }
    }

    private static func json(_ sample: Sample) -> JSON {
        [
            "timestamp": .string(Timestamp.formatMicro(sample.timestamp)), "windowNanoseconds": .int(sample.windowNanoseconds),
            "cpuNanoCores": .int(Int64(clamping: sample.cpuNanoCores)),
            "memoryWorkingSetBytes": .int(Int64(clamping: sample.memoryWorkingSetBytes)),
        ]
    }

    private static func sample(_ json: JSON) throws -> Sample {
        guard let time = json["timestamp"].string.flatMap(Timestamp.parse), let window = json["windowNanoseconds"].int,
            let cpu = json["cpuNanoCores"].int, let memory = json["memoryWorkingSetBytes"].int
        else { throw FlotillaError(.internalError, "the agent's usage report is malformed") }
        return Sample(
            timestamp: time, windowNanoseconds: window, cpuNanoCores: UInt64(clamping: cpu),
            memoryWorkingSetBytes: UInt64(clamping: memory))
    }
}
