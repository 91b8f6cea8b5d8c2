import FlotillaCore
import Foundation

/// The host's `iptables`, `iptables-restore` and `iptables-save` (whichever backend they use),
/// each run with `-w` so that concurrent writers wait for the lock instead of failing.
public struct SystemIPTables: IPTables {
    public init() {}

    public func restore(_ input: String) async throws {
        _ = try await Self.execute("iptables-restore", ["--noflush", "-w", "5"], input: input)
    }

    public func save(_ table: ProxyRules.Table) async throws -> String {
        try await Self.execute("iptables-save", ["-t", table.rawValue], input: nil).output
    }

    public func run(_ arguments: [String]) async throws -> Bool {
        let result = try await Self.execute("iptables", ["-w", "5"] + arguments, input: nil, tolerating: [1])
        return result.status == 0
    }

    /// Runs `program` from PATH with `input` on its standard input; throws `internalError`
    /// with what it printed unless it exits 0 or with a status in `tolerating`.
    static func execute(
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
