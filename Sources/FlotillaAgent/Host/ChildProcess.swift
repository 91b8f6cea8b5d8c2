import FlotillaCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A long-running child process (containerd) started with `posix_spawn` in a process group of
/// its own, with its output appended to a log file, and reaped by a thread that waits for it.
///
/// Foundation's `Process` is not used for it: it notices a child's exit when a socket the child
/// inherited closes, and containerd hands that socket on to the shims it starts, which outlive
/// it; its death would go unseen. Here the child inherits no descriptor but its standard ones.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let state = Mutex<State>(State())

    private struct State {
        var waitStatus: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    /// Starts `program` (looked up in PATH) with `arguments`, standard input from /dev/null and
    /// standard output and error appended to `logPath`.
    init(_ program: String, _ arguments: [String], logPath: String) throws {
        let log = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw FlotillaError(.internalError, "cannot open \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        for descriptor in Self.inheritableDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: a terminal's Ctrl-C reaches the agent, which stops containerd in order.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw FlotillaError(.internalError, "cannot start \(program): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        Thread.detachNewThread { [self] in reap() }
    }

    /// The open descriptors of this process that a child would inherit (those without close-on-exec).
    static func inheritableDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap(Int32.init).filter { descriptor in
            let flags = fcntl(descriptor, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    /// Waits for the child on this thread, then wakes everyone waiting for its exit.
    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let waiters = state.withLock { state in
            state.waitStatus = status
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    /// Whether the child has exited (and been reaped).
    var hasExited: Bool { state.withLock { $0.waitStatus != nil } }

    /// Returns once the child has exited, with its wait status.
    func exited() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state in
                if state.waitStatus == nil { state.waiters.append(continuation) }
                return state.waitStatus
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    func signal(_ signal: Int32) {
        if !hasExited { kill(pid, signal) }
    }

    /// A wait status in words: `exit status 1`, `signal 9`.
    static func describe(_ status: Int32) -> String {
        status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
    }
}
