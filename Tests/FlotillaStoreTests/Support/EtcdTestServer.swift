import FlotillaCore
import FlotillaStore
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real etcd (`/usr/bin/etcd`) on free loopback ports with a temporary data directory,
/// started for a test suite and removed after it.
final class EtcdTestServer: Sendable {
    /// The server of the suite that is running, set by ``EtcdServerTrait``.
    @TaskLocal static var current: EtcdTestServer?

    let endpoint: String
    private let process: Process
    private let dataDirectory: URL

    private init(endpoint: String, process: Process, dataDirectory: URL) {
        self.endpoint = endpoint
        self.process = process
        self.dataDirectory = dataDirectory
    }

    /// Starts etcd and waits until it answers. An etcd that exits before it answers (its port was
    /// taken meanwhile, e.g. as the source port of some connection) is started again on other ports.
    static func start() async throws -> EtcdTestServer {
        var attempt = 1
        while true {
            do {
                return try await startOnce()
            } catch is ExitedEarly where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// etcd exited before it answered.
    private struct ExitedEarly: Error {}

    private static func startOnce() async throws -> EtcdTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-etcd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clientPort = try LoopbackPorts.take(), peerPort = try LoopbackPorts.take()
        let client = "http://127.0.0.1:\(clientPort)", peer = "http://127.0.0.1:\(peerPort)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/etcd")
        process.arguments = [
            "--name", "test", "--data-dir", directory.appendingPathComponent("data").path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "test=\(peer)", "--log-level", "error",
        ]
        let logPath = directory.appendingPathComponent("etcd.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = EtcdTestServer(endpoint: client, process: process, dataDirectory: directory)
        server.startWatchdog()
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            do {
                let store = try await EtcdStore(endpoints: [client])
                try await store.close()
                return server
            } catch {
                if !process.isRunning {
                    await server.stop()
                    throw ExitedEarly()
                }
                if ContinuousClock.now > deadline {
                    await server.stop()
                    throw error
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Kills etcd and removes its data.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// A shell that kills etcd and removes its data if this test process dies without ``stop()``.
    private func startWatchdog() {
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        let script = """
            while kill -0 \(getpid()) 2>/dev/null && kill -0 \(process.processIdentifier) 2>/dev/null; do sleep 1; done
            kill -9 \(process.processIdentifier) 2>/dev/null; rm -rf '\(dataDirectory.path)'
            """
        watchdog.arguments = ["-c", script]
        try? watchdog.run()
    }

}

/// Runs a suite with one etcd server, reachable through ``EtcdTestServer/current``.
struct EtcdServerTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await EtcdTestServer.start()
        do {
            try await EtcdTestServer.$current.withValue(server) { try await function() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == EtcdServerTrait {
    /// Starts a real etcd for the suite and stops it afterwards.
    static var etcdServer: Self { EtcdServerTrait() }
}

/// Free loopback ports for test servers, each handed out at most once in this test process.
///
/// The kernel may give a port that was just released to the next caller. Two etcd servers started
/// at the same time could then be told the same port: one fails to listen, and its probe reaches the
/// other, which some other test stops.
private enum LoopbackPorts {
    private static let handedOut = Mutex<Set<Int>>([])

    /// A loopback port that was free a moment ago and was never handed out before.
    static func take() throws -> Int {
        while true {
            let port = try unusedPort()
            let isNew = handedOut.withLock { $0.insert(port).inserted }
            if isNew { return port }
        }
    }

    private static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FlotillaError(.internalError, "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw FlotillaError(.internalError, "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
