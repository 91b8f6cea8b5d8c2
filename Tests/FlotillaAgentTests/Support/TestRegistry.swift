import Foundation

/// A `docker-registry` on a free loopback port holding the busybox test image, started with the
/// repository's fixture scripts (`tests/images/run-registry`, `tests/images/build-busybox`).
final class TestRegistry {
    let port: Int
    private let process: Process

    /// The repository's root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts a registry storing under `directory` and waits until it answers.
    init(directory: String) throws {
        port = try FreePort.loopback()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.repository + "/tests/images/run-registry")
        process.arguments = [directory, String(port)]
        let log = directory + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = process.standardOutput
        try process.run()
        var attempts = 0
        while !FreePort.accepts(port) && attempts < 200 {
            Thread.sleep(forTimeInterval: 0.05)
            attempts += 1
        }
        guard FreePort.accepts(port) else {
            stop()
            throw Shell.ShellError(command: "run-registry", status: -1, output: "the registry did not listen on \(port)")
        }
    }

    /// Builds the busybox image into `layout` and pushes it as `127.0.0.1:PORT/<repository>:<tag>`; returns that name.
    func pushBusybox(layout: String, repository: String = "flotilla-test/busybox", tag: String = "v1") throws -> String {
        let name = "127.0.0.1:\(port)/\(repository):\(tag)"
        try Shell.run("'\(Self.repository)/tests/images/build-busybox' '\(layout)' \(tag) --push \(name)")
        return name
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
