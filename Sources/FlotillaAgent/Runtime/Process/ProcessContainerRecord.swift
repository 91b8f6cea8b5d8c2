import Foundation

/// A process-runtime container as `container.json` keeps it: what it is (for the list calls)
/// and what it runs, resolved at creation from its configuration and its image's defaults.
/// The shim that runs it adds `launch.json` once the process started and `exit.json` once it ended.
struct ProcessContainerRecord: Codable, Equatable {
    var id: String
    var sandboxID: String
    var name: String
    var attempt: UInt32
    var image: String
    var imageID: String
    var createdAt: Date
    var labels: [String: String]
    var annotations: [String: String]
    /// The log file's full path.
    var logPath: String
    /// The container's root, where its image is mounted (or copied).
    var root: String
    var argv: [String]
    /// `NAME=value` entries.
    var environment: [String]
    var workingDirectory: String
    var cgroup: ProcessCgroup?
    var oomScoreAdjustment: Int64

    func summary(state: ContainerState) -> ContainerSummary {
        ContainerSummary(
            id: id, sandboxID: sandboxID, name: name, attempt: attempt, state: state, image: image, imageID: imageID,
            createdAt: createdAt, labels: labels, annotations: annotations)
    }
}

/// The container's process as its shim started it (`launch.json`).
struct ProcessContainerLaunch: Codable, Equatable {
    var pid: Int32
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`), which tells it
    /// from a later process given the same id.
    var startTicks: UInt64
    var startedAt: Date
    var shimPID: Int32
    var shimStartTicks: UInt64

    /// Whether the shim that waits for the process still runs.
    var shimIsAlive: Bool { Self.isAlive(pid: shimPID, startTicks: shimStartTicks) }

    /// Whether process `pid`, started at `startTicks`, still exists (and is not a zombie).
    static func isAlive(pid: Int32, startTicks: UInt64) -> Bool {
        guard let stat = ProcessContainerLaunch.stat(of: pid) else { return false }
        return stat.startTicks == startTicks && stat.state != "Z"
    }

    var isAlive: Bool { Self.isAlive(pid: pid, startTicks: startTicks) }

    /// The state letter and start time of process `pid` from `/proc/<pid>/stat`.
    static func stat(of pid: Int32) -> (state: Character, startTicks: UInt64)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name, in parentheses, may hold spaces: count fields after its end.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return (state, start)
    }
}

/// How the container's process ended (`exit.json`).
struct ProcessContainerExit: Codable, Equatable {
    /// The exit status, or 128 + the signal that killed it.
    var exitCode: Int32
    var finishedAt: Date
    /// `Completed`, `Error`, `OOMKilled` or `StartError`.
    var reason: String
    var message: String
}
