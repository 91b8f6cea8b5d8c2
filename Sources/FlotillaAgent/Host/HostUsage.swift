import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The host's usage as the kernel counts it: CPU time spent on anything but idling (`cpu` line
/// of `/proc/stat`) and memory in use (`MemTotal − MemAvailable` of `/proc/meminfo`).
public enum HostUsage {
    /// CPU time used since boot, summed over processors, in nanoseconds; nil when `/proc/stat`
    /// cannot be read.
    public static func cpuNanoseconds() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return cpuNanoseconds(procStat: text, ticksPerSecond: UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1)))
    }

    /// Memory in use in bytes; nil when `/proc/meminfo` cannot be read.
    public static func memoryWorkingSetBytes() -> UInt64? {
        memoryWorkingSetBytes(HostFacts.meminfo())
    }

    /// The busy time of the `cpu` line (user, nice, system, irq, softirq, steal; not idle or
    /// iowait) in nanoseconds, given the clock ticks per second the counters are in.
    static func cpuNanoseconds(procStat: String, ticksPerSecond: UInt64) -> UInt64? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard ticks.count >= 4 else { return nil }
        let busy = [0, 1, 2, 5, 6, 7].filter { $0 < ticks.count }.reduce(UInt64(0)) { $0 + ticks[$1] }
        return busy * (1_000_000_000 / ticksPerSecond)
    }

    /// `MemTotal − MemAvailable` in bytes, from a `/proc/meminfo` text.
    static func memoryWorkingSetBytes(procMeminfo: String) -> UInt64? {
        memoryWorkingSetBytes(HostFacts.meminfoFields(procMeminfo))
    }

    /// `MemTotal − MemAvailable` in bytes, from the fields of `/proc/meminfo`.
    private static func memoryWorkingSetBytes(_ kibibytes: [String: UInt64]) -> UInt64? {
        guard let total = kibibytes["MemTotal"], let available = kibibytes["MemAvailable"] else { return nil }
        return (total - min(available, total)) * 1024
    }
}
