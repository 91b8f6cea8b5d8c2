import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup of one process-runtime container, `<parent>/<container id>` (cgroupfs syntax):
/// under cgroup v2 one directory with `memory.max`, `cpu.max` and `cpu.weight`; under v1 one per
/// controller (`memory`, `cpu`, `cpuacct`) with their v1 files. Every method leaves alone what
/// the host does not let it write.
struct ProcessCgroup: Sendable, Codable, Equatable {
    /// The path below the hierarchies' root, e.g. `/flotilla/pod<uid>/<container id>`.
    var path: String
    var root = "/sys/fs/cgroup"

    private static let controllersV1 = ["memory", "cpu", "cpuacct"]

    init(path: String, root: String = "/sys/fs/cgroup") {
        self.path = path
        self.root = root
    }

    /// Whether the host mounts cgroup v2 alone (the unified hierarchy at the root).
    var isUnified: Bool { FileManager.default.fileExists(atPath: root + "/cgroup.controllers") }

    /// The cgroup's directories: one under v2, one per controller under v1.
    var directories: [String] {
        isUnified ? [root + path] : Self.controllersV1.map { "\(root)/\($0)\(path)" }
    }

    /// Makes the cgroup and writes its limits; false when the host let it do neither.
    func create(_ resources: ContainerResources) -> Bool {
        if isUnified {
            var ancestor = root
            for component in path.split(separator: "/") {
                // Controllers reach a child only when each ancestor hands them down.
                for controller in ["+cpu", "+memory"] { write(controller, to: ancestor + "/cgroup.subtree_control") }
                ancestor += "/" + component
                mkdir(ancestor, 0o755)
            }
            guard FileManager.default.fileExists(atPath: root + path) else { return false }
            if let limit = resources.memoryLimitBytes { write(String(limit), to: root + path + "/memory.max") }
            let quota = resources.cpuQuota.map(String.init) ?? "max"
            write("\(quota) \(ContainerResources.cpuPeriod)", to: root + path + "/cpu.max")
            write(String(1 + (resources.cpuShares - 2) * 9999 / 262_142), to: root + path + "/cpu.weight")
            return true
        }
        var made = false
        for directory in directories where (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil {
            made = true
        }
        guard made else { return false }
        let memory = "\(root)/memory\(path)", cpu = "\(root)/cpu\(path)"
        if let limit = resources.memoryLimitBytes { write(String(limit), to: memory + "/memory.limit_in_bytes") }
        write(String(resources.cpuShares), to: cpu + "/cpu.shares")
        write(String(ContainerResources.cpuPeriod), to: cpu + "/cpu.cfs_period_us")
        write(String(resources.cpuQuota ?? -1), to: cpu + "/cpu.cfs_quota_us")
        return true
    }

    /// Moves process `pid` (0: the caller) into the cgroup.
    func join(_ pid: pid_t = 0) {
        for directory in directories { write(String(pid == 0 ? getpid() : pid), to: directory + "/cgroup.procs") }
    }

    /// The processes in the cgroup.
    var processes: [pid_t] {
        Set(directories.flatMap { directory in
            (read(directory + "/cgroup.procs") ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }).sorted()
    }

    /// Sends SIGKILL to every process in the cgroup.
    func killAll() {
        for pid in processes { kill(pid, SIGKILL) }
    }

    /// How many times the kernel's OOM killer killed a process of the cgroup.
    var oomKills: Int {
        let text = isUnified ? read(root + path + "/memory.events") : read("\(root)/memory\(path)/memory.oom_control")
        return Self.field("oom_kill", in: text ?? "").map { Int($0) } ?? 0
    }

    /// CPU time used, in nanoseconds.
    var cpuUsageNanoseconds: UInt64? {
        if isUnified { return Self.field("usage_usec", in: read(root + path + "/cpu.stat") ?? "").map { $0 * 1000 } }
        return read("\(root)/cpuacct\(path)/cpuacct.usage").flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Memory in use less the inactive file cache (what Kubernetes calls the working set).
    var memoryWorkingSetBytes: UInt64? {
        let (usageFile, statFile, inactiveKey) = isUnified
            ? (root + path + "/memory.current", root + path + "/memory.stat", "inactive_file")
            : ("\(root)/memory\(path)/memory.usage_in_bytes", "\(root)/memory\(path)/memory.stat", "total_inactive_file")
        guard let usage = read(usageFile).flatMap({ UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else { return nil }
        let inactive = Self.field(inactiveKey, in: read(statFile) ?? "") ?? 0
        return usage > inactive ? usage - inactive : 0
    }

    /// Removes the cgroup's directories (once its processes are gone).
    func remove() {
        for directory in directories { rmdir(directory) }
    }

    /// The value of `name` in a `name value` per line file (`memory.events`, `cpu.stat`).
    static func field(_ name: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == name { return UInt64(parts[1]) }
        }
        return nil
    }

    private func read(_ file: String) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private func write(_ text: String, to file: String) {
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }
}
