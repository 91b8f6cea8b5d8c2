import FlotillaCore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// ``ContainerRuntime`` for hosts without containerd: each container is a host process, changed
/// into a root of its own made from its image (an overlay, or a copy), in a process group and a
/// cgroup of its own (with its memory and CPU limits where the host lets cgroups be written).
///
/// It pulls OCI and Docker v2 images from registries itself and unpacks them under
/// `<data>/process/images`. Sandboxes are records only: pods share the node's network, and a
/// sandbox's address is the node's, as for `hostNetwork` pods. Each container runs under a shim
/// (``ProcessShim``, the `flotilla` executable started again) that outlives the agent, writes
/// the container's output to its log in the CRI format and records how it ended; sandboxes and
/// containers are JSON files under `<data>/process`, so an agent that restarts finds them and
/// re-adopts the running ones. It serves no exec, attach or port-forward streams.
public final class ProcessRuntime: ContainerRuntime {
    /// Where it keeps things and how pods reach the network.
    public struct Configuration: Sendable {
        /// The agent's data directory; the runtime keeps its state in `<dataDirectory>/process`.
        public var dataDirectory: String
        /// The node's address, every sandbox's address.
        public var hostIP: String
        /// `HOST:PORT` of registries reached over plain HTTP although not on loopback.
        public var insecureRegistries: [String]
        /// The `flotilla` executable that runs the shims (default: this process's executable).
        public var shimExecutable: String

        public init(dataDirectory: String, hostIP: String, insecureRegistries: [String] = [], shimExecutable: String? = nil) {
            self.dataDirectory = dataDirectory
            self.hostIP = hostIP
            self.insecureRegistries = insecureRegistries
            self.shimExecutable = shimExecutable ?? ProcessSpawn.currentExecutable
        }

        public var stateDirectory: String { dataDirectory + "/process" }
    }

    /// The runtime's name, as the node's `containerRuntimeVersion` and containers' ids show it.
    public static let name = "process"

    public let configuration: Configuration
    private let images: ProcessImageStore
    private let logger: Logger
    /// Whether the host's refusal of cgroups was logged already.
    private let cgroupsRefusedLogged = Mutex(false)

    public init(configuration: Configuration, logger: Logger = Logger(label: "flotilla.agent.process")) {
        self.configuration = configuration
        self.logger = logger
        images = ProcessImageStore(directory: configuration.stateDirectory + "/images", insecureRegistries: configuration.insecureRegistries)
    }

    private var sandboxesDirectory: String { configuration.stateDirectory + "/sandboxes" }
    private var containersDirectory: String { configuration.stateDirectory + "/containers" }
    private func sandboxDirectory(_ id: String) -> String { sandboxesDirectory + "/" + id }
    private func containerDirectory(_ id: String) -> String { containersDirectory + "/" + id }

    // MARK: Runtime

    public func version() async throws -> RuntimeVersion {
        RuntimeVersion(name: Self.name, version: FlotillaVersion.version, apiVersion: "v1")
    }

    public func status() async throws -> RuntimeStatus {
        let probe = configuration.stateDirectory + "/.ready"
        var writable = false
        do {
            for directory in [images.directory, sandboxesDirectory, containersDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            writable = FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8))
        } catch {
            writable = false
        }
        return RuntimeStatus(conditions: [
            .init(type: "RuntimeReady", ready: writable, reason: writable ? "" : "DataDirectoryNotWritable",
                  message: writable ? "" : "cannot write in \(configuration.stateDirectory)"),
            // Pods use the node's network, which is there.
            .init(type: "NetworkReady", ready: true),
        ])
    }

    // MARK: Images

    public func pullImage(_ image: String, credentials: RegistryCredentials?) async throws -> String {
        try await images.pull(image, credentials: credentials)
    }

    public func image(_ image: String) async throws -> ImageInfo? {
        images.find(image).map(ImageInfo.init)
    }

    public func listImages() async throws -> [ImageInfo] {
        images.all().map(ImageInfo.init)
    }

    // MARK: Sandboxes

    public func runSandbox(_ configuration: SandboxConfiguration) async throws -> String {
        let id = Self.newID()
        let record = ProcessSandboxRecord(id: id, configuration: configuration, ip: self.configuration.hostIP, createdAt: Date())
        try FileManager.default.createDirectory(atPath: sandboxDirectory(id), withIntermediateDirectories: true)
        try StateFile.write(record, to: sandboxDirectory(id) + "/sandbox.json")
        return id
    }

    public func stopSandbox(_ id: String) async throws {
        guard var record = sandbox(id) else { return }
        for container in containers() where container.sandboxID == id {
            try await stopContainer(container.id, gracePeriod: .zero)
        }
        record.ready = false
        try StateFile.write(record, to: sandboxDirectory(id) + "/sandbox.json")
    }

    public func removeSandbox(_ id: String) async throws {
        for container in containers() where container.sandboxID == id {
            try await removeContainer(container.id)
        }
        try? FileManager.default.removeItem(atPath: sandboxDirectory(id))
    }

    public func sandboxStatus(_ id: String) async throws -> SandboxStatus {
        guard let record = sandbox(id) else { throw FlotillaError.notFound(resource: "sandbox", name: id) }
        return SandboxStatus(summary: record.summary, ips: [record.ip])
    }

    public func listSandboxes(labels: [String: String]) async throws -> [SandboxSummary] {
        sandboxes().filter { Self.matches($0.labels, labels) }.map(\.summary)
    }

    private func sandbox(_ id: String) -> ProcessSandboxRecord? {
        StateFile.read(ProcessSandboxRecord.self, from: sandboxDirectory(id) + "/sandbox.json")
    }

    private func sandboxes() -> [ProcessSandboxRecord] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sandboxesDirectory)) ?? []).compactMap(sandbox)
    }

    // MARK: Containers

    public func createContainer(
        _ configuration: ContainerConfiguration, inSandbox sandboxID: String, sandbox _: SandboxConfiguration
    ) async throws -> String {
        guard let sandbox = sandbox(sandboxID), sandbox.ready else {
            throw FlotillaError(.notFound, "sandbox \(sandboxID) is not ready or does not exist")
        }
        guard let image = images.find(configuration.image) else {
            throw FlotillaError(.notFound, "image \"\(configuration.image)\" is not on the node")
        }
        let id = Self.newID()
        let directory = containerDirectory(id)
        let root = ProcessContainerRoot(directory: directory)
        let cgroup = ProcessCgroup(path: (sandbox.cgroupParent.isEmpty ? "/flotilla-process" : sandbox.cgroupParent) + "/" + id)
        let limited = cgroup.create(configuration.resources)
        if !limited { logCgroupsRefusedOnce(cgroup) }
        let record = ProcessContainerRecord(
            id: id, sandboxID: sandboxID, name: configuration.name, attempt: configuration.attempt, image: configuration.image,
            imageID: image.id, createdAt: Date(), labels: configuration.labels, annotations: configuration.annotations,
            logPath: sandbox.logDirectory + "/" + configuration.logPath, root: root.root,
            argv: image.config.argv(command: configuration.command, args: configuration.args),
            environment: image.config.environment(configuration.environment, hostname: sandbox.hostname),
            workingDirectory: configuration.workingDirectory.isEmpty ? image.config.workingDir : configuration.workingDirectory,
            cgroup: limited ? cgroup : nil, oomScoreAdjustment: configuration.resources.oomScoreAdjustment)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await root.prepare(image: images.root(of: image.id), mounts: configuration.mounts, etcFiles: etcFiles(for: sandbox))
            if !record.workingDirectory.isEmpty { try root.makeDirectory(record.workingDirectory) }
            try StateFile.write(record, to: directory + "/" + ProcessShim.recordFile)
        } catch {
            try? root.remove()
            cgroup.remove()
            throw error
        }
        return id
    }

    /// The pod's `/etc/hosts` (the host's, with the pod's name at the node's address),
    /// `/etc/resolv.conf` and `/etc/hostname`.
    private func etcFiles(for sandbox: ProcessSandboxRecord) -> [String: String] {
        let hosts = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? "127.0.0.1\tlocalhost\n"
        let resolv = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        return [
            "hosts": hosts + (hosts.hasSuffix("\n") || hosts.isEmpty ? "" : "\n") + "\(sandbox.ip)\t\(sandbox.hostname)\n",
            "resolv.conf": sandbox.resolvConf(host: resolv),
            "hostname": sandbox.hostname + "\n",
        ]
    }

    public func startContainer(_ id: String) async throws {
        let record = try container(id)
        guard launch(id) == nil else { throw FlotillaError(.conflict, "container \(record.name) (\(id)) was started already") }
        do {
            _ = try await HostCommand.run(configuration.shimExecutable, ["process-shim", "start", containerDirectory(id)])
        } catch let error as FlotillaError {
            throw FlotillaError(.internalError, "cannot start container \(record.name): \(error.message)")
        }
    }

    public func stopContainer(_ id: String, gracePeriod: Duration) async throws {
        let record = try container(id)
        guard let launch = launch(id), !hasEnded(id, launch) else { return }
        kill(-launch.pid, SIGTERM)
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, !hasEnded(id, launch) {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard !hasEnded(id, launch) else { return }
        kill(-launch.pid, SIGKILL)
        record.cgroup?.killAll()
        let killed = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < killed, !hasEnded(id, launch) {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard hasEnded(id, launch) else {
            throw FlotillaError(.internalError, "container \(record.name) (\(id)) did not end after SIGKILL")
        }
    }

    public func removeContainer(_ id: String) async throws {
        guard let record = StateFile.read(ProcessContainerRecord.self, from: containerDirectory(id) + "/" + ProcessShim.recordFile) else {
            // A container whose creation stopped half way still has its directory.
            try? ProcessContainerRoot(directory: containerDirectory(id)).remove()
            return
        }
        try await stopContainer(id, gracePeriod: .zero)
        if let launch = launch(id) {
            // The shim records the end, then exits; wait for it so nothing runs in the root.
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, launch.shimIsAlive { try await Task.sleep(for: .milliseconds(20)) }
        }
        try ProcessContainerRoot(directory: containerDirectory(id)).remove()
        record.cgroup?.remove()
    }

    public func containerStatus(_ id: String) async throws -> ContainerStatus {
        let record = try container(id)
        let launch = launch(id)
        let (state, exit) = self.state(id, launch)
        return ContainerStatus(
            id: id, name: record.name, attempt: record.attempt, state: state, createdAt: record.createdAt, startedAt: launch?.startedAt,
            finishedAt: exit?.finishedAt, exitCode: exit?.exitCode, reason: exit?.reason ?? "", message: exit?.message ?? "",
            image: record.image, imageID: record.imageID, logPath: record.logPath, labels: record.labels, annotations: record.annotations)
    }

    public func listContainers(inSandbox sandboxID: String?, labels: [String: String]) async throws -> [ContainerSummary] {
        containers().filter { ($0.sandboxID == sandboxID || sandboxID == nil) && Self.matches($0.labels, labels) }.map { record in
            record.summary(state: state(record.id, launch(record.id)).state)
        }
    }

    /// The container's state; with the way it ended once it has.
    private func state(_ id: String, _ launch: ProcessContainerLaunch?) -> (state: ContainerState, exit: ProcessContainerExit?) {
        if let exit = StateFile.read(ProcessContainerExit.self, from: containerDirectory(id) + "/" + ProcessShim.exitFile) {
            return (.exited, exit)
        }
        guard let launch else { return (.created, nil) }
        if launch.isAlive || launch.shimIsAlive { return (.running, nil) }
        // Its shim was killed, or the host restarted: how it ended is not known.
        return (.exited, ProcessContainerExit(exitCode: 255, finishedAt: Date(), reason: "Unknown", message: "the container's shim ended without recording its exit"))
    }

    private func hasEnded(_ id: String, _ launch: ProcessContainerLaunch) -> Bool {
        state(id, launch).state == .exited
    }

    private func container(_ id: String) throws -> ProcessContainerRecord {
        guard let record = StateFile.read(ProcessContainerRecord.self, from: containerDirectory(id) + "/" + ProcessShim.recordFile) else {
            throw FlotillaError.notFound(resource: "container", name: id)
        }
        return record
    }

    private func containers() -> [ProcessContainerRecord] {
        ((try? FileManager.default.contentsOfDirectory(atPath: containersDirectory)) ?? []).compactMap { try? container($0) }
    }

    private func launch(_ id: String) -> ProcessContainerLaunch? {
        StateFile.read(ProcessContainerLaunch.self, from: containerDirectory(id) + "/" + ProcessShim.launchFile)
    }

    // MARK: Exec, streams, stats

    public func execSync(_ id: String, command: [String], timeout: Duration?) async throws -> ExecResult {
        let record = try container(id)
        guard state(id, launch(id)).state == .running else {
            throw FlotillaError(.conflict, "container \(record.name) (\(id)) is not running")
        }
        return try await ProcessExec.run(
            configuration.shimExecutable, ["process-shim", "enter", containerDirectory(id), "--"] + command, timeout: timeout)
    }

    public func streamingURL(_ request: StreamingRequest) async throws -> String {
        throw FlotillaError(.badRequest, "the process runtime does not serve exec/attach/port-forward streams")
    }

    public func containerStats(_ id: String) async throws -> ContainerStats {
        stats(try container(id))
    }

    public func listContainerStats() async throws -> [ContainerStats] {
        containers().filter { state($0.id, launch($0.id)).state == .running }.map(stats)
    }

    private func stats(_ record: ProcessContainerRecord) -> ContainerStats {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return ContainerStats(
            containerID: record.id, name: record.name, labels: record.labels, timestamp: Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec),
            cpuUsageCoreNanoseconds: record.cgroup?.cpuUsageNanoseconds, memoryWorkingSetBytes: record.cgroup?.memoryWorkingSetBytes,
            writableLayerBytes: nil)
    }

    // MARK: Helpers

    private func logCgroupsRefusedOnce(_ cgroup: ProcessCgroup) {
        let first = cgroupsRefusedLogged.withLock { logged in
            defer { logged = true }
            return !logged
        }
        if first {
            logger.warning("the host does not let the agent make cgroups; containers run without memory and cpu limits",
                           metadata: ["cgroup": .string(cgroup.path)])
        }
    }

    /// Whether `labels` include every entry of `selector`.
    private static func matches(_ labels: [String: String], _ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// A new id: 64 hexadecimal digits, as containerd's.
    private static func newID() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

extension ImageInfo {
    init(_ record: ProcessImageStore.Record) {
        self.init(id: record.id, tags: record.tags, digests: record.digests, sizeBytes: record.size)
    }
}
