import Foundation

/// A `docker-registry` on a free loopback port holding the busybox test image, started with the
/// repository's fixture scripts (`tests/images/run-registry`, `tests/images/build-busybox`);
/// with a login, it wants it (basic auth).
final class TestRegistry {
    let port: Int
    /// `USER:PASSWORD` the registry wants, if any.
    let login: String?
    private let process: Process

    /// The repository's root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts a registry storing under `directory` and waits until it answers.
    init(directory: String, login: String? = nil) async throws {
        port = try FreePort.loopback()
        self.login = login
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.repository + "/tests/images/run-registry")
        process.arguments = [directory, String(port)] + (login.map { [$0] } ?? [])
        let log = directory + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = process.standardOutput
        try process.run()
        var attempts = 0
        while !FreePort.accepts(port) && attempts < 200 {
            try await Task.sleep(for: .milliseconds(50))
            attempts += 1
        }
        guard FreePort.accepts(port) else {
            stop()
            throw Shell.ShellError(command: "run-registry", status: -1, output: "the registry did not listen on \(port)")
        }
    }

    /// Builds the busybox image into `layout` and pushes it as `127.0.0.1:PORT/<repository>:<tag>`; returns that name.
    func pushBusybox(layout: String, repository: String = "flotilla-test/busybox", tag: String = "v1") async throws -> String {
        let name = "127.0.0.1:\(port)/\(repository):\(tag)"
        let creds = login.map { " --creds '\($0)'" } ?? ""
        try await Shell.run("'\(Self.repository)/tests/images/build-busybox' '\(layout)' \(tag) --push \(name)\(creds)")
        return name
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
