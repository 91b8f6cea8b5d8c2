/// A container's CPU and memory requests and limits, and the Linux cgroup settings they become,
/// computed as kubelet computes them: CPU shares from the request (1024 per CPU, at least 2),
/// a CFS quota from the limit over a 100 ms period (at least 1 ms), the memory limit in bytes.
/// A container past its memory limit is killed by the kernel and reported `OOMKilled`.
public struct ContainerResources: Sendable, Equatable {
    /// The CFS period quotas are measured against, in microseconds.
    public static let cpuPeriod: Int64 = 100_000

    /// Requested CPU in thousandths of a CPU (`250m` → 250); nil when not requested.
    public var cpuRequestMillis: Int64?
    /// CPU limit in thousandths of a CPU; nil for none.
    public var cpuLimitMillis: Int64?
    /// Memory limit in bytes; nil for none.
    public var memoryLimitBytes: Int64?
    /// The OOM killer's preference for this container (-1000…1000), set from the pod's QoS class.
    public var oomScoreAdjustment: Int64

    public init(cpuRequestMillis: Int64? = nil, cpuLimitMillis: Int64? = nil, memoryLimitBytes: Int64? = nil, oomScoreAdjustment: Int64 = 0) {
        self.cpuRequestMillis = cpuRequestMillis
        self.cpuLimitMillis = cpuLimitMillis
        self.memoryLimitBytes = memoryLimitBytes
        self.oomScoreAdjustment = oomScoreAdjustment
    }

    /// Relative CPU weight: the request (or the limit when only that is set) at 1024 per CPU, 2 to 262144.
    public var cpuShares: Int64 {
        let millis = (cpuRequestMillis ?? 0) == 0 ? (cpuLimitMillis ?? 0) : (cpuRequestMillis ?? 0)
        return min(max(millis * 1024 / 1000, 2), 262_144)
    }

    /// CPU time allowed per ``cpuPeriod`` in microseconds, at least 1000; nil without a limit.
    public var cpuQuota: Int64? {
        guard let limit = cpuLimitMillis, limit > 0 else { return nil }
        return max(limit * Self.cpuPeriod / 1000, 1000)
    }
}
