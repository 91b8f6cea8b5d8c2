import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command in a process-runtime container to its end (``ProcessShim/enter(_:command:status:)``
/// started in a process group of its own), collecting its output; past its timeout its whole
/// group is killed and the run fails with `timeout`.
enum ProcessExec {
    static func run(_ program: String, _ arguments: [String], timeout: Duration?) async throws -> ExecResult {
        let stdout = try ProcessSpawn.pipe(), stderr = try ProcessSpawn.pipe()
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(null) }
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(program, arguments, descriptors: [null, stdout.write, stderr.write], grouping: .processGroup)
        } catch {
            [stdout.read, stdout.write, stderr.read, stderr.write].forEach { close($0) }
            throw error
        }
        close(stdout.write)
        close(stderr.write)
        let timedOut = Locked(false)
        let timer = timeout.map { limit in
            Task {
                try await Task.sleep(for: limit)
                timedOut.withLock { $0 = true }
                kill(-pid, SIGKILL)
            }
        }
        defer { timer?.cancel() }
        let (outputPipe, errorPipe) = (stdout.read, stderr.read)
        let (output, errors, status) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let errors = Locked<[UInt8]>([])
                let errorsRead = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    let bytes = readAll(errorPipe)
                    errors.withLock { $0 = bytes }
                    errorsRead.signal()
                }
                let output = readAll(outputPipe)
                errorsRead.wait()
                let status = ProcessSpawn.wait(pid)
                continuation.resume(returning: (output, errors.withLock { $0 }, status))
            }
        }
        if timedOut.withLock({ $0 }) {
            throw FlotillaError(.timeout, "command \(arguments.drop { $0 != "--" }.dropFirst()) timed out after \(timeout!)")
        }
        return ExecResult(exitCode: ProcessSpawn.exitCode(status), stdout: output, stderr: errors)
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }
}
