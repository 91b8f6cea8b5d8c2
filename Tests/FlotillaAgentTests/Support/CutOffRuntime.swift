import FlotillaAgent
import FlotillaCore
import Foundation

/// A real runtime whose first container start is cut off the way a dropped connection cuts a
/// call: once containerd has begun the start (its log says so), the call is cancelled, which
/// cancels it in containerd too, and fails as a dropped connection fails it. The first exec
/// fails likewise (before it is made). Every other call goes to the runtime as it is.
actor CutOffRuntime: ContainerRuntime {
    let runtime: CRIRuntime
    /// containerd's log, where it tells that it began a start.
    let containerdLog: String
    /// The containers whose start was cut off.
    private(set) var cutOff: [String] = []
    /// The containers whose exec was cut off.
    private(set) var cutOffExecs: [String] = []

    init(runtime: CRIRuntime, containerdLog: String) {
        self.runtime = runtime
        self.containerdLog = containerdLog
    }

    func startContainer(_ id: String) async throws {
        guard cutOff.isEmpty else { return try await runtime.startContainer(id) }
        cutOff.append(id)
        let start = Task { [runtime] in try await runtime.startContainer(id) }
        let deadline = ContinuousClock.now + .seconds(10)
        while !(try String(contentsOfFile: containerdLog, encoding: .utf8)).contains("StartContainer for \\\"\(id)\\\"")
            && ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(2))
        }
        start.cancel()
        _ = await start.result
        throw FlotillaError(.serviceUnavailable, "CRI StartContainer: Stream unexpectedly closed.")
    }

    func version() async throws -> RuntimeVersion { try await runtime.version() }
    func status() async throws -> RuntimeStatus { try await runtime.status() }
    func pullImage(_ image: String, credentials: RegistryCredentials?) async throws -> String {
        try await runtime.pullImage(image, credentials: credentials)
    }
    func image(_ image: String) async throws -> ImageInfo? { try await runtime.image(image) }
    func listImages() async throws -> [ImageInfo] { try await runtime.listImages() }
    func runSandbox(_ configuration: SandboxConfiguration) async throws -> String { try await runtime.runSandbox(configuration) }
    func stopSandbox(_ id: String) async throws { try await runtime.stopSandbox(id) }
    func removeSandbox(_ id: String) async throws { try await runtime.removeSandbox(id) }
    func sandboxStatus(_ id: String) async throws -> SandboxStatus { try await runtime.sandboxStatus(id) }
    func listSandboxes(labels: [String: String]) async throws -> [SandboxSummary] { try await runtime.listSandboxes(labels: labels) }
    func createContainer(
        _ configuration: ContainerConfiguration, inSandbox sandboxID: String, sandbox: SandboxConfiguration
    ) async throws -> String {
        try await runtime.createContainer(configuration, inSandbox: sandboxID, sandbox: sandbox)
    }
    func stopContainer(_ id: String, gracePeriod: Duration) async throws { try await runtime.stopContainer(id, gracePeriod: gracePeriod) }
    func removeContainer(_ id: String) async throws { try await runtime.removeContainer(id) }
    func containerStatus(_ id: String) async throws -> ContainerStatus { try await runtime.containerStatus(id) }
    func listContainers(inSandbox sandboxID: String?, labels: [String: String]) async throws -> [ContainerSummary] {
        try await runtime.listContainers(inSandbox: sandboxID, labels: labels)
    }
    func execSync(_ id: String, command: [String], timeout: Duration?) async throws -> ExecResult {
        guard cutOffExecs.isEmpty else { return try await runtime.execSync(id, command: command, timeout: timeout) }
        cutOffExecs.append(id)
        throw FlotillaError(.serviceUnavailable, "CRI ExecSync: Stream unexpectedly closed.")
    }
    func streamingURL(_ request: StreamingRequest) async throws -> String { try await runtime.streamingURL(request) }
    func containerStats(_ id: String) async throws -> ContainerStats { try await runtime.containerStats(id) }
    func listContainerStats() async throws -> [ContainerStats] { try await runtime.listContainerStats() }
}
