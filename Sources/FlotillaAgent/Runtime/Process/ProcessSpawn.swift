import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with `posix_spawn` with exactly the descriptors given (the child's 0, 1, 2,
/// … in order; nothing else is inherited), default signal handling, and in a session or
/// process group of its own.
enum ProcessSpawn {
    enum Grouping {
        /// A new session (`setsid`): no terminal, its own process group, detached from the caller's.
        case session
        /// A new process group in the caller's session.
        case processGroup
    }

    /// Starts `program` (a path) with `arguments` and `environment` (`NAME=value`; nil: the
    /// caller's), its descriptor i a copy of `descriptors[i]`; returns its process id.
    static func spawn(
        _ program: String, _ arguments: [String], descriptors: [Int32], grouping: Grouping, environment: [String]? = nil
    ) throws -> pid_t {
        // Copies above every target first, so that placing one never overwrites another's source.
        let sources = descriptors.map { fcntl($0, F_DUPFD_CLOEXEC, 64) }
        defer { sources.forEach { close($0) } }
        guard !sources.contains(where: { $0 < 0 }) else {
            throw FlotillaError(.internalError, "cannot start \(program): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        for descriptor in ChildProcess.inheritableDescriptors() where descriptor >= descriptors.count {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        switch grouping {
        case .session: flags |= 0x80  // POSIX_SPAWN_SETSID
        case .processGroup: flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
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
        let result: Int32
        if let environment {
            let envp = environment.map { strdup($0) } + [nil]
            defer { envp.forEach { free($0) } }
            result = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        } else {
            result = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        }
        guard result == 0 else {
            throw FlotillaError(.internalError, "cannot start \(program): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// A pipe whose ends close on exec: (read end, write end).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw FlotillaError(.internalError, "cannot make a pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// The exit code a wait status stands for: the exit status, or 128 + the signal.
    static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits for child `pid`; returns its wait status.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }

    /// This program's path, to start it again (`/proc/self/exe`).
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
