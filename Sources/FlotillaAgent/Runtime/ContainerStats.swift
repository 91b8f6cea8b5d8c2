/// The resource usage of one container, as the metrics API serves it: cumulative CPU time,
/// memory working set, and the size of its writable layer.
public struct ContainerStats: Sendable, Equatable {
    public var containerID: String
    /// The container's name in its pod.
    public var name: String
    public var labels: [String: String]
    /// Nanoseconds since the Unix epoch when the figures were taken.
    public var timestamp: Int64
    /// CPU time used since the container started, in nanoseconds (summed over cores).
    public var cpuUsageCoreNanoseconds: UInt64?
    /// Memory in use that cannot be reclaimed at once (what Kubernetes calls working set).
    public var memoryWorkingSetBytes: UInt64?
    public var writableLayerBytes: UInt64?

    public init(
        containerID: String, name: String, labels: [String: String] = [:], timestamp: Int64,
        cpuUsageCoreNanoseconds: UInt64?, memoryWorkingSetBytes: UInt64?, writableLayerBytes: UInt64?
    ) {
        self.containerID = containerID
        self.name = name
        self.labels = labels
        self.timestamp = timestamp
        self.cpuUsageCoreNanoseconds = cpuUsageCoreNanoseconds
        self.memoryWorkingSetBytes = memoryWorkingSetBytes
        self.writableLayerBytes = writableLayerBytes
    }
}
