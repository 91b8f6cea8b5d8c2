import Foundation

/// Runs shell commands for tests: building images, starting a registry, cleaning up.
enum Shell {
    /// Runs `command` with `/bin/sh -c` on a thread of its own; returns its output; throws when it fails.
    @discardableResult
    static func run(_ command: String) async throws -> String {
        try await onOwnThread { try runBlocking(command) }
    }

    private static func runBlocking(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellError(command: command, status: process.terminationStatus, output: text)
        }
        return text
    }

    struct ShellError: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var output: String
        var description: String { "`\(command)` failed with status \(status): \(output)" }
    }
}
