import FlotillaCore
import Foundation

/// Runs a host program to completion, for the few jobs the agent leaves to one (`ctr`).
enum HostCommand {
    /// Runs `program` (a name looked up in PATH, or a path) with `arguments`; returns what it
    /// printed; throws `internalError` with that output when it fails.
    static func run(_ program: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [program] + arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: FlotillaError(.internalError, "cannot run \(program): \(error)"))
                    return
                }
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process.terminationReason == .exit && process.terminationStatus == 0 {
                    continuation.resume(returning: text)
                } else {
                    let command = ([program] + arguments).joined(separator: " ")
                    continuation.resume(throwing: FlotillaError(
                        .internalError, "\(command) failed (status \(process.terminationStatus)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))"))
                }
            }
        }
    }
}
