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
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return memoryWorkingSetBytes(procMeminfo: text)
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

    /// `MemTotal − MemAvailable` in bytes.
    static func memoryWorkingSetBytes(procMeminfo: String) -> UInt64? {
        var kibibytes: [String: UInt64] = [:]
        for line in procMeminfo.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = UInt64(parts[1]) else { continue }
            kibibytes[String(parts[0].dropLast())] = value
        }
        guard let total = kibibytes["MemTotal"], let available = kibibytes["MemAvailable"] else { return nil }
        return (total - min(available, total)) * 1024
    }
}
