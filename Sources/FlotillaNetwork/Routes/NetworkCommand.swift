import FlotillaCore
import Foundation

/// Runs one of the host's network programs (`ip`, `iptables`, `iptables-restore`) to completion.
public enum NetworkCommand {
    /// Runs `program` (looked up in PATH) with `arguments`; returns its standard output;
    /// throws `internalError` with the command and what it printed when it fails.
    public static func run(_ program: String, _ arguments: [String]) async throws -> String {
        try await execute(program, arguments, input: nil).output
    }

    /// Runs `program` from PATH with `input` on its standard input; throws `internalError`
    /// with what it printed unless it exits 0 or with a status in `tolerating`.
    public static func execute(
        _ program: String, _ arguments: [String], input: String?, tolerating: Set<Int32> = []
    ) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [program] + arguments
                let output = Pipe(), errors = Pipe(), standardInput = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: FlotillaError(.internalError, "cannot run \(program): \(error)"))
                    return
                }
                if let input {
                    // Write from another thread: a large input must not block while the output pipe fills.
                    let writer = standardInput.fileHandleForWriting
                    DispatchQueue.global().async {
                        writer.write(Data(input.utf8))
                        try? writer.close()
                    }
                }
                let errorText = Locked(Data())
                let errorReader = errors.fileHandleForReading
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorText.withLock { $0 = errorReader.readDataToEndOfFile() }
                    group.leave()
                }
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                group.wait()
                process.waitUntilExit()
                let status = process.terminationReason == .exit ? process.terminationStatus : -1
                if status == 0 || tolerating.contains(status) {
                    continuation.resume(returning: (status, text))
                } else {
                    let message = String(decoding: errorText.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    continuation.resume(throwing: FlotillaError(
                        .internalError, "\(([program] + arguments).joined(separator: " ")) failed (status \(status)): \(message)"))
                }
            }
        }
    }
}
