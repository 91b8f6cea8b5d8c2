import FlotillaCRI
import FlotillaCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the agent's own containerd as a child process, as k3s does, and keeps it running.
///
/// ``start(timeout:)`` writes containerd's configuration, the registries' `hosts.toml` files and
/// the pod network's CNI configuration, stops a containerd that an agent which died left behind,
/// starts containerd, waits until its CRI answers and imports the sandbox image. A containerd
/// that dies is started again after a back-off (0.5 s doubling to 30 s, reset once it ran a
/// minute). ``stop(timeout:)`` stops it; containers keep running in their shims meanwhile, and
/// the next containerd takes them up again.
public actor ContainerdSupervisor {
    public nonisolated let configuration: ContainerdConfiguration
    public nonisolated let network: CNINetworkConfiguration
    private let sandboxImage: SandboxImage
    private let logger: Logger
    private var process: ChildProcess?
    private var startedAt = ContinuousClock.now
    private var stopping = false
    private var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
    /// How often containerd was started again after it died.
    public private(set) var restarts = 0

    public init(
        configuration: ContainerdConfiguration, network: CNINetworkConfiguration, sandboxImage: SandboxImage = SandboxImage(),
        logger: Logger = Logger(label: "flotilla.agent.containerd")
    ) {
        self.configuration = configuration
        self.network = network
        self.sandboxImage = sandboxImage
        self.logger = logger
    }

    /// The CRI endpoint of the supervised containerd.
    public nonisolated var endpoint: String { "unix://" + configuration.socketPath }

    /// The running containerd's process id.
    public var processID: Int32? { process?.pid }

    /// Configures and starts containerd; returns once its CRI answers and the sandbox image is in.
    public func start(timeout: Duration = .seconds(60)) async throws {
        try configuration.validate()
        try writeConfiguration()
        await stopLeftover()
        stopping = false
        try launch()
        try await waitUntilServing(timeout: timeout)
        try await sandboxImage.importInto(configuration)
        logger.info("containerd is serving", metadata: ["socket": .string(configuration.socketPath), "pid": "\(processID ?? 0)"])
    }

    /// Stops containerd: SIGTERM, then SIGKILL after `timeout`.
    public func stop(timeout: Duration = .seconds(10)) async {
        stopping = true
        guard let process else { return }
        self.process = nil
        await Self.terminate(process, timeout: timeout)
        try? FileManager.default.removeItem(atPath: configuration.pidPath)
    }

    // MARK: - Configuration

    private func writeConfiguration() throws {
        let files = FileManager.default
        for directory in [configuration.directory, configuration.cniConfigDirectory, network.ipamDirectory, configuration.registryHostsDirectory] {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try write(configuration.toml(), to: configuration.configPath)
        try write(network.conflist.jsonText, to: configuration.cniConfigDirectory + "/" + CNINetworkConfiguration.fileName)
        for (host, toml) in configuration.registryHosts() {
            let directory = configuration.registryHostsDirectory + "/" + host
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try write(toml, to: directory + "/hosts.toml")
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw FlotillaError(.internalError, "cannot write \(path): \(error)")
        }
    }

    // MARK: - The process

    private func launch() throws {
        let process = try ChildProcess(configuration.binary, ["--config", configuration.configPath], logPath: configuration.logPath)
        self.process = process
        startedAt = .now
        try? String(process.pid).write(toFile: configuration.pidPath, atomically: true, encoding: .utf8)
        Task { [weak self] in
            let status = await process.exited()
            await self?.exited(process, status: status)
        }
    }

    /// Starts containerd again when the one running died, unless it is being stopped.
    private func exited(_ ended: ChildProcess, status: Int32) async {
        guard !stopping, let process, process === ended else { return }
        self.process = nil
        if ContinuousClock.now - startedAt > .seconds(60) { backoff.reset() }
        let delay = backoff.next()
        logger.warning(
            "containerd exited; starting it again",
            metadata: ["status": .string(ChildProcess.describe(status)), "delay": "\(delay)", "log": .string(configuration.logPath)])
        try? await Task.sleep(for: delay)
        guard !stopping, self.process == nil else { return }
        do {
            try launch()
            restarts += 1
        } catch {
            logger.error("cannot start containerd again", metadata: ["error": "\(error)"])
        }
    }

    /// Polls containerd's CRI until it answers, failing early if containerd exits.
    private func waitUntilServing(timeout: Duration) async throws {
        let client = try CRIClient(endpoint: endpoint, options: .init(timeout: .seconds(2)))
        do {
            try await poll(client, timeout: timeout)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    private func poll(_ client: CRIClient, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard let process, !process.hasExited else {
                throw FlotillaError(.internalError, "containerd exited while starting: \(logTail())")
            }
            do {
                _ = try await client.version()
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw FlotillaError(
            .timeout,
            "containerd did not answer on \(configuration.socketPath) within \(timeout): \(lastError.map { "\($0)" } ?? ""); \(logTail())")
    }

    /// The end of containerd's log, for error messages.
    private func logTail() -> String {
        guard let data = FileManager.default.contents(atPath: configuration.logPath) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(5)
        return "last log lines: " + lines.joined(separator: " | ")
    }

    /// Stops a containerd with this configuration that an earlier agent left running.
    private func stopLeftover() async {
        guard let text = try? String(contentsOfFile: configuration.pidPath, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            String(decoding: commandLine, as: UTF8.self).contains(configuration.configPath)
        else { return }
        logger.notice("stopping the containerd an earlier agent left running", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.isAlive(pid) && ContinuousClock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if Self.isAlive(pid) { kill(pid, SIGKILL) }
    }

    /// Whether process `pid` exists and has not exited (a zombie has).
    private static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
        // The state follows the command name, which is in parentheses and may contain spaces.
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        return !text[close...].hasPrefix(") Z")
    }

    /// SIGTERM, then SIGKILL if the process still runs after `timeout`; returns once it has exited.
    private static func terminate(_ process: ChildProcess, timeout: Duration) async {
        process.signal(SIGTERM)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await process.exited() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                process.signal(SIGKILL)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
