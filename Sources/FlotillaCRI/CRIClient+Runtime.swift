/// The RuntimeService calls: the runtime itself, pod sandboxes, containers, exec and stats.
/// Creating and starting sandboxes and containers, and running commands, are not retried.
extension CRIClient {
    public func version() async throws -> Runtime_V1_VersionResponse {
        try await call("Version") { try await $1.runtime.version(.with { $0.version = "v1" }, options: $0) }
    }

    public func status() async throws -> Runtime_V1_StatusResponse {
        try await call("Status") { try await $1.runtime.status(.init(), options: $0) }
    }

    public func runPodSandbox(_ request: Runtime_V1_RunPodSandboxRequest) async throws -> Runtime_V1_RunPodSandboxResponse {
        try await call("RunPodSandbox", idempotent: false) { try await $1.runtime.runPodSandbox(request, options: $0) }
    }

    public func stopPodSandbox(id: String) async throws {
        _ = try await call("StopPodSandbox") { try await $1.runtime.stopPodSandbox(.with { $0.podSandboxID = id }, options: $0) }
    }

    public func removePodSandbox(id: String) async throws {
        _ = try await call("RemovePodSandbox") { try await $1.runtime.removePodSandbox(.with { $0.podSandboxID = id }, options: $0) }
    }

    public func podSandboxStatus(id: String) async throws -> Runtime_V1_PodSandboxStatusResponse {
        try await call("PodSandboxStatus") { try await $1.runtime.podSandboxStatus(.with { $0.podSandboxID = id }, options: $0) }
    }

    public func listPodSandbox(_ request: Runtime_V1_ListPodSandboxRequest = .init()) async throws -> Runtime_V1_ListPodSandboxResponse {
        try await call("ListPodSandbox") { try await $1.runtime.listPodSandbox(request, options: $0) }
    }

    public func createContainer(_ request: Runtime_V1_CreateContainerRequest) async throws -> Runtime_V1_CreateContainerResponse {
        try await call("CreateContainer", idempotent: false) { try await $1.runtime.createContainer(request, options: $0) }
    }

    public func startContainer(id: String) async throws {
        _ = try await call("StartContainer", idempotent: false) { try await $1.runtime.startContainer(.with { $0.containerID = id }, options: $0) }
    }

    /// Stops a container: SIGTERM (or the image's stop signal), then SIGKILL after `timeoutSeconds`.
    public func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        let request = Runtime_V1_StopContainerRequest.with {
            $0.containerID = id
            $0.timeout = timeoutSeconds
        }
        // The call itself may take the whole grace period.
        _ = try await call("StopContainer", timeout: options.timeout + .seconds(timeoutSeconds)) {
            try await $1.runtime.stopContainer(request, options: $0)
        }
    }

    public func removeContainer(id: String) async throws {
        _ = try await call("RemoveContainer") { try await $1.runtime.removeContainer(.with { $0.containerID = id }, options: $0) }
    }

    public func listContainers(_ request: Runtime_V1_ListContainersRequest = .init()) async throws -> Runtime_V1_ListContainersResponse {
        try await call("ListContainers") { try await $1.runtime.listContainers(request, options: $0) }
    }

    public func containerStatus(id: String) async throws -> Runtime_V1_ContainerStatusResponse {
        try await call("ContainerStatus") { try await $1.runtime.containerStatus(.with { $0.containerID = id }, options: $0) }
    }

    /// Runs a command in a container and waits for it, for at most `timeoutSeconds` (0: no limit).
    public func execSync(_ request: Runtime_V1_ExecSyncRequest) async throws -> Runtime_V1_ExecSyncResponse {
        let deadline = request.timeout > 0 ? options.timeout + .seconds(request.timeout) : nil
        return try await call("ExecSync", idempotent: false, timeout: deadline) { try await $1.runtime.execSync(request, options: $0) }
    }

    /// The URL of the runtime's streaming server for an interactive exec.
    public func exec(_ request: Runtime_V1_ExecRequest) async throws -> Runtime_V1_ExecResponse {
        try await call("Exec") { try await $1.runtime.exec(request, options: $0) }
    }

    /// The URL of the runtime's streaming server for attaching to a container.
    public func attach(_ request: Runtime_V1_AttachRequest) async throws -> Runtime_V1_AttachResponse {
        try await call("Attach") { try await $1.runtime.attach(request, options: $0) }
    }

    /// The URL of the runtime's streaming server for forwarding ports into a sandbox.
    public func portForward(_ request: Runtime_V1_PortForwardRequest) async throws -> Runtime_V1_PortForwardResponse {
        try await call("PortForward") { try await $1.runtime.portForward(request, options: $0) }
    }

    public func containerStats(id: String) async throws -> Runtime_V1_ContainerStatsResponse {
        try await call("ContainerStats") { try await $1.runtime.containerStats(.with { $0.containerID = id }, options: $0) }
    }

    public func listContainerStats(_ request: Runtime_V1_ListContainerStatsRequest = .init()) async throws -> Runtime_V1_ListContainerStatsResponse {
        try await call("ListContainerStats") { try await $1.runtime.listContainerStats(request, options: $0) }
    }
}
