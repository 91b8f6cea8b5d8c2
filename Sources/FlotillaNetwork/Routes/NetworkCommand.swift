import FlotillaCore
import Foundation

/// Runs one of the host's network programs (`ip`, `iptables`) to completion.
public enum NetworkCommand {
    /// Runs `program` (looked up in PATH) with `arguments`; returns its standard output;
    /// throws `internalError` with the command and what it printed when it fails.
    public static func run(_ program: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runNow(program, arguments) })
            }
        }
    }

    private static func runNow(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw FlotillaError(.internalError, "cannot run \(program): \(error)")
        }
        // The programs print little on standard error, so reading it after standard output cannot block them.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit && process.terminationStatus == 0 else {
            let command = ([program] + arguments).joined(separator: " ")
            let message = errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw FlotillaError(.internalError, "\(command) failed (status \(process.terminationStatus)): \(message)")
        }
        return text
    }
}
