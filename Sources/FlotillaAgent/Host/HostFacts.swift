import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the host tells of itself for its Node: processors, memory, the disk under the agent's
/// data directory, kernel, machine, operating system and its first non-loopback IPv4 address.
public enum HostFacts {
    /// The host's capacity: every processor, `MemTotal` of `/proc/meminfo`, the size of the file
    /// system holding `dataDirectory`, and `pods` pods.
    public static func capacity(dataDirectory: String, pods: Int = 110) -> NodeCapacity {
        NodeCapacity(
            cpu: String(ProcessInfo.processInfo.activeProcessorCount), memory: "\(memoryKibibytes())Ki",
            ephemeralStorage: "\(diskKibibytes(dataDirectory))Ki", pods: pods)
    }

    /// `MemTotal` in KiB (the physical memory Foundation reports when `/proc/meminfo` cannot be read).
    static func memoryKibibytes() -> Int64 {
        meminfo()["MemTotal"].map { Int64($0) } ?? Int64(ProcessInfo.processInfo.physicalMemory / 1024)
    }

    /// `MemAvailable` in KiB; nil when `/proc/meminfo` cannot be read.
    static func availableMemoryKibibytes() -> Int64? {
        meminfo()["MemAvailable"].map { Int64($0) }
    }

    /// The fields of `/proc/meminfo` (KiB), empty when it cannot be read.
    static func meminfo() -> [String: UInt64] {
        (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)).map(meminfoFields) ?? [:]
    }

    /// The fields of a `/proc/meminfo` text: `MemTotal:  16318452 kB` → `MemTotal: 16318452`.
    static func meminfoFields(_ text: String) -> [String: UInt64] {
        var fields: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = UInt64(parts[1]) else { continue }
            fields[String(parts[0].dropLast())] = value
        }
        return fields
    }

    /// The share (0 to 1) of the file system holding `path` that is still free for unprivileged use.
    static func diskFreeFraction(_ path: String) -> Double {
        var info = statvfs()
        guard statvfs(path, &info) == 0, info.f_blocks > 0 else { return 1 }
        return Double(info.f_bavail) / Double(info.f_blocks)
    }

    /// The share (0 to 1) of process ids in use: threads alive over `kernel.pid_max`.
    static func pidUsedFraction() -> Double {
        guard let loadavg = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let threads = loadavg.split(separator: " ").dropFirst(3).first?.split(separator: "/").last.flatMap({ Double($0) }),
            let maximum = (try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)).flatMap({
                Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }), maximum > 0
        else { return 0 }
        return threads / maximum
    }

    /// The size in KiB of the file system holding `path` (or its nearest existing parent).
    static func diskKibibytes(_ path: String) -> Int64 {
        var existing = path
        while !FileManager.default.fileExists(atPath: existing) && existing != "/" {
            existing = (existing as NSString).deletingLastPathComponent
        }
        var info = statvfs()
        guard statvfs(existing, &info) == 0 else { return 0 }
        return Int64(info.f_blocks) * Int64(info.f_frsize) / 1024
    }

    /// The kernel's release, as `uname -r` prints it.
    public static var kernelVersion: String {
        var info = utsname()
        uname(&info)
        return withUnsafeBytes(of: &info.release) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// The machine, as `uname -m` names it (`x86_64`, `aarch64`).
    public static var machine: String {
        var info = utsname()
        uname(&info)
        return withUnsafeBytes(of: &info.machine) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// `PRETTY_NAME` of `/etc/os-release`, e.g. `Debian GNU/Linux 13 (trixie)`.
    public static var osImage: String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") })
        else { return "Linux" }
        return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// The first IPv4 address of an interface that is up and not a loopback, not one of the
    /// pod bridges' (`excluding` their names); 127.0.0.1 on a host with none.
    public static func internalIP(excluding interfaces: Set<String> = []) -> String {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0, let list = first else { return "127.0.0.1" }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            let name = String(cString: entry.pointee.ifa_name)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0, !interfaces.contains(name),
                !name.hasPrefix("veth"), !name.hasPrefix("cni")
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            return String(decoding: host.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return "127.0.0.1"
    }
}
