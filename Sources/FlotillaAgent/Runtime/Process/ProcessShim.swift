import FlotillaCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The small processes that run a process-runtime container, started from the `flotilla`
/// executable itself (`flotilla process-shim start|supervise|enter DIR`):
///
/// - `start` (run by the agent) starts the supervisor in a session of its own and returns once
///   the container's program runs, or fails with why it could not start;
/// - `supervise` outlives the agent: it starts the container's process (by `enter`) in a process
///   group of its own, writes its output to the container's log in the CRI format, waits for it,
///   kills what it left in its group and cgroup, and records how it ended in `exit.json`;
/// - `enter` joins the container's cgroup, changes root into the container's root and working
///   directory and executes the container's program (or, for an exec, the command given) with
///   the container's environment.
///
/// `DIR` is the container's directory, holding `container.json` (``ProcessContainerRecord``).
public enum ProcessShim {
    /// The record file's name in a container's directory, and those the supervisor writes.
    static let recordFile = "container.json", launchFile = "launch.json", exitFile = "exit.json"

    /// Starts the supervisor of the container in `directory` and waits until the container's
    /// program runs; throws what kept it from starting.
    public static func start(_ directory: String) throws {
        let ready = try ProcessSpawn.pipe()
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        do {
            _ = try ProcessSpawn.spawn(
                ProcessSpawn.currentExecutable, ["process-shim", "supervise", directory], descriptors: [null, null, null, ready.write],
                grouping: .session)
        } catch {
            close(ready.read)
            close(ready.write)
            throw error
        }
        close(ready.write)
        let answer = readAll(ready.read)
        close(ready.read)
        guard answer == "started" else {
            throw FlotillaError(.internalError, answer.isEmpty ? "the shim of \(directory) ended before starting its container" : answer)
        }
    }

    /// Runs the container of `directory` to its end (the supervisor); `ready` is the descriptor
    /// to tell `start` about its start on. Returns when the container has ended.
    public static func supervise(_ directory: String, ready: Int32 = 3) {
        for ignored in [SIGPIPE, SIGHUP, SIGINT, SIGTERM] { signal(ignored, SIG_IGN) }
        guard let record = StateFile.read(ProcessContainerRecord.self, from: directory + "/" + recordFile) else {
            tell(ready, "no container record in \(directory)")
            return
        }
        try? FileManager.default.createDirectory(
            atPath: (record.logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let log = open(record.logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard log >= 0, let stdout = try? ProcessSpawn.pipe(), let stderr = try? ProcessSpawn.pipe(), let status = try? ProcessSpawn.pipe() else {
            tell(ready, "cannot set up the output of container \(record.name): \(String(cString: strerror(errno)))")
            return
        }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(
                ProcessSpawn.currentExecutable, ["process-shim", "enter", directory], descriptors: [null, stdout.write, stderr.write, status.write],
                grouping: .processGroup)
        } catch {
            tell(ready, "\(error)")
            return
        }
        [null, stdout.write, stderr.write, status.write].forEach { close($0) }
        let startTicks = ProcessContainerLaunch.stat(of: pid)?.startTicks ?? 0
        let launch = ProcessContainerLaunch(pid: pid, startTicks: startTicks, startedAt: Date(), shimPID: getpid(),
            shimStartTicks: ProcessContainerLaunch.stat(of: getpid())?.startTicks ?? 0)
        try? StateFile.write(launch, to: directory + "/" + launchFile)

        let writer = LogWriter(descriptor: log)
        let readers = DispatchGroup()
        for (descriptor, stream) in [(stdout.read, ContainerLogLine.Stream.stdout), (stderr.read, .stderr)] {
            readers.enter()
            Thread.detachNewThread {
                writer.copy(from: descriptor, stream: stream)
                readers.leave()
            }
        }

        // Nothing on the status pipe by the time it closes: the program was executed.
        let failure = readAll(status.read)
        close(status.read)
        if !failure.isEmpty {
            _ = ProcessSpawn.wait(pid)
            // Recorded before `start` returns, so the container's status tells it at once.
            let exit = ProcessContainerExit(exitCode: 128, finishedAt: Date(), reason: "StartError", message: failure)
            try? StateFile.write(exit, to: directory + "/" + exitFile)
            tell(ready, failure)
            return
        }
        tell(ready, "started")

        let exitCode = ProcessSpawn.exitCode(ProcessSpawn.wait(pid))
        // Like the end of a pid namespace's first process: what it left behind goes with it.
        kill(-pid, SIGKILL)
        record.cgroup?.killAll()
        _ = readers.wait(timeout: .now() + 2)
        let reason = (record.cgroup?.oomKills ?? 0) > 0 ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error"
        let exit = ProcessContainerExit(exitCode: exitCode, finishedAt: Date(), reason: reason, message: "")
        try? StateFile.write(exit, to: directory + "/" + exitFile)
    }

    /// Becomes the container of `directory`'s program, or `command` in it (an exec); returns
    /// only when that fails, with why (also written on `status` when given).
    public static func enter(_ directory: String, command: [String]? = nil, status: Int32? = 3) -> String {
        guard let record = StateFile.read(ProcessContainerRecord.self, from: directory + "/" + recordFile) else {
            return report("no container record in \(directory)", on: status)
        }
        // The status pipe closes when the program is executed: nothing written means it runs.
        if let status { _ = fcntl(status, F_SETFD, FD_CLOEXEC) }
        record.cgroup?.join()
        if command == nil { try? String(record.oomScoreAdjustment).write(toFile: "/proc/self/oom_score_adj", atomically: false, encoding: .utf8) }
        guard chroot(record.root) == 0 else {
            return report("cannot change root to \(record.root): \(String(cString: strerror(errno)))", on: status)
        }
        let workingDirectory = record.workingDirectory.isEmpty ? "/" : record.workingDirectory
        guard chdir(workingDirectory) == 0 else {
            return report("cannot change to working directory \(workingDirectory): \(String(cString: strerror(errno)))", on: status)
        }
        let argv = command ?? record.argv
        guard let program = argv.first else { return report("container \(record.name) has no command to run (the image names none)", on: status) }
        guard let path = resolve(program, environment: record.environment) else {
            return report("exec: \"\(program)\": executable file not found in $PATH", on: status)
        }
        let arguments = argv.map { strdup($0) } + [nil]
        let environment = record.environment.map { strdup($0) } + [nil]
        // The program starts with default signal handling and nothing blocked, whichever thread
        // of this process (whose worker threads block signals) executes it.
        for number in Int32(1)..<32 where number != SIGKILL && number != SIGSTOP { signal(number, SIG_DFL) }
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        execve(path, arguments, environment)
        return report("exec \(path): \(String(cString: strerror(errno)))", on: status)
    }

    /// `program` as `execve` takes it: a path as given, a name looked up in the environment's `PATH`.
    static func resolve(_ program: String, environment: [String]) -> String? {
        if program.contains("/") { return program }
        let path = environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func report(_ message: String, on status: Int32?) -> String {
        if let status { tell(status, message) }
        return message
    }

    private static func tell(_ descriptor: Int32, _ message: String) {
        _ = message.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }

    private static func readAll(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes both streams' entries to the log file, one entry at a time.
    private final class LogWriter: Sendable {
        let descriptor: Int32
        private let lock = Mutex<Void>(())

        init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        /// Copies what is read from `source` to the log until the stream ends.
        func copy(from source: Int32, stream: ContainerLogLine.Stream) {
            var framer = ContainerLogFramer(stream: stream)
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let count = read(source, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                append(framer.frame(buffer[0..<count], at: ContainerLogFramer.now()))
            }
            append(framer.finish(at: ContainerLogFramer.now()))
            close(source)
        }

        private func append(_ bytes: [UInt8]) {
            guard !bytes.isEmpty else { return }
            lock.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }
}
