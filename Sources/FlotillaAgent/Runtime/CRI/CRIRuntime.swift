import FlotillaCRI
import FlotillaCore

/// ``ContainerRuntime`` over the Container Runtime Interface: containerd (which runs containers
/// with runc and wires sandboxes with CNI), or any other CRI runtime, on its unix socket.
public struct CRIRuntime: ContainerRuntime {
    public let client: CRIClient

    public init(client: CRIClient) {
        self.client = client
    }

    public func version() async throws -> RuntimeVersion {
        let response = try await client.version()
        return RuntimeVersion(name: response.runtimeName, version: response.runtimeVersion, apiVersion: response.runtimeApiVersion)
    }

    public func status() async throws -> RuntimeStatus {
        let conditions = try await client.status().status.conditions
        return RuntimeStatus(conditions: conditions.map {
            RuntimeStatus.Condition(type: $0.type, ready: $0.status, reason: $0.reason, message: $0.message)
        })
    }

    public func pullImage(_ image: String, credentials: RegistryCredentials?) async throws -> String {
        let request = Runtime_V1_PullImageRequest.with { request in
            request.image.image = image
            if let credentials { request.auth = Runtime_V1_AuthConfig(credentials) }
        }
        return try await client.pullImage(request).imageRef
    }

    public func image(_ image: String) async throws -> ImageInfo? {
        let response = try await client.imageStatus(image)
        return response.hasImage ? ImageInfo(response.image) : nil
    }

    public func listImages() async throws -> [ImageInfo] {
        try await client.listImages().images.map(ImageInfo.init)
    }

    public func runSandbox(_ configuration: SandboxConfiguration) async throws -> String {
        try await client.runPodSandbox(.with { $0.config = Runtime_V1_PodSandboxConfig(configuration) }).podSandboxID
    }

    public func stopSandbox(_ id: String) async throws {
        try await client.stopPodSandbox(id: id)
    }

    public func removeSandbox(_ id: String) async throws {
        try await client.removePodSandbox(id: id)
    }

    public func sandboxStatus(_ id: String) async throws -> SandboxStatus {
        SandboxStatus(try await client.podSandboxStatus(id: id).status)
    }

    public func listSandboxes(labels: [String: String]) async throws -> [SandboxSummary] {
        let request = Runtime_V1_ListPodSandboxRequest.with { $0.filter.labelSelector = labels }
        return try await client.listPodSandbox(request).items.map(SandboxSummary.init)
    }

    public func createContainer(
        _ configuration: ContainerConfiguration, inSandbox sandboxID: String, sandbox: SandboxConfiguration
    ) async throws -> String {
        let request = Runtime_V1_CreateContainerRequest.with {
            $0.podSandboxID = sandboxID
            $0.config = Runtime_V1_ContainerConfig(configuration, sandbox: sandbox)
            $0.sandboxConfig = Runtime_V1_PodSandboxConfig(sandbox)
        }
        return try await client.createContainer(request).containerID
    }

    public func startContainer(_ id: String) async throws {
        try await client.startContainer(id: id)
    }

    public func stopContainer(_ id: String, gracePeriod: Duration) async throws {
        try await client.stopContainer(id: id, timeoutSeconds: gracePeriod.components.seconds)
    }

    public func removeContainer(_ id: String) async throws {
        try await client.removeContainer(id: id)
    }

    public func containerStatus(_ id: String) async throws -> ContainerStatus {
        ContainerStatus(try await client.containerStatus(id: id).status)
    }

    public func listContainers(inSandbox sandboxID: String?, labels: [String: String]) async throws -> [ContainerSummary] {
        let request = Runtime_V1_ListContainersRequest.with {
            $0.filter.podSandboxID = sandboxID ?? ""
            $0.filter.labelSelector = labels
        }
        return try await client.listContainers(request).containers.map(ContainerSummary.init)
    }

    public func execSync(_ id: String, command: [String], timeout: Duration?) async throws -> ExecResult {
        let request = Runtime_V1_ExecSyncRequest.with {
            $0.containerID = id
            $0.cmd = command
            // CRI counts whole seconds, 0 meaning no limit: round a shorter timeout up to 1 s.
            $0.timeout = timeout.map { max(1, $0.components.seconds + ($0.components.attoseconds > 0 ? 1 : 0)) } ?? 0
        }
        let response = try await client.execSync(request)
        return ExecResult(exitCode: response.exitCode, stdout: Array(response.stdout), stderr: Array(response.stderr))
    }

    public func streamingURL(_ request: StreamingRequest) async throws -> String {
        switch request {
        case .exec(let containerID, let command, let streams):
            return try await client.exec(.with {
                $0.containerID = containerID
                $0.cmd = command
                ($0.stdin, $0.stdout, $0.stderr, $0.tty) = (streams.stdin, streams.stdout, streams.stderr, streams.tty)
            }).url
        case .attach(let containerID, let streams):
            return try await client.attach(.with {
                $0.containerID = containerID
                ($0.stdin, $0.stdout, $0.stderr, $0.tty) = (streams.stdin, streams.stdout, streams.stderr, streams.tty)
            }).url
        case .portForward(let sandboxID, let ports):
            return try await client.portForward(.with {
                $0.podSandboxID = sandboxID
                $0.port = ports
            }).url
        }
    }

    public func containerStats(_ id: String) async throws -> ContainerStats {
        ContainerStats(try await client.containerStats(id: id).stats)
    }

    public func listContainerStats() async throws -> [ContainerStats] {
        try await client.listContainerStats().stats.map(ContainerStats.init)
    }
}
