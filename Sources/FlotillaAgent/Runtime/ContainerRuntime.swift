/// What a pod worker needs from a container runtime: pod sandboxes (the network namespace a
/// pod's containers share, with its IP), images, containers and their statuses, exec and stats.
///
/// Identifiers are the runtime's. Everything a worker must find again after an agent restart
/// (which pod a sandbox belongs to, which container of the pod a container is, how often it
/// restarted) lives in the metadata, labels and annotations given at creation, which the list
/// calls return, so running containers are re-adopted rather than started again.
///
/// Failures throw `FlotillaError`; a missing sandbox, container or image is `notFound`.
/// Implementations: ``CRIRuntime`` (containerd, or any CRI runtime, over gRPC) and
/// ``ProcessRuntime`` (host processes, for hosts without containerd).
public protocol ContainerRuntime: Sendable {
    /// The runtime's name and version, for the node's `containerRuntimeVersion`.
    func version() async throws -> RuntimeVersion
    /// Whether the runtime, and its pod network, are ready to run pods.
    func status() async throws -> RuntimeStatus

    /// Pulls `image`, with `credentials` for registries that need them; returns the image's id on the node.
    func pullImage(_ image: String, credentials: RegistryCredentials?) async throws -> String
    /// The image named `image` (a reference or an id), or nil when it is not on the node.
    func image(_ image: String) async throws -> ImageInfo?
    /// Every image on the node.
    func listImages() async throws -> [ImageInfo]

    /// Creates and starts a pod sandbox with its network; returns its id.
    func runSandbox(_ configuration: SandboxConfiguration) async throws -> String
    /// Stops every container of the sandbox and releases its network. Idempotent.
    func stopSandbox(_ id: String) async throws
    /// Removes a stopped sandbox and its containers. Idempotent.
    func removeSandbox(_ id: String) async throws
    func sandboxStatus(_ id: String) async throws -> SandboxStatus
    /// The sandboxes whose labels include `labels` (all with an empty filter).
    func listSandboxes(labels: [String: String]) async throws -> [SandboxSummary]

    /// Creates a container in a running sandbox, which was created with `sandbox`; returns its id.
    func createContainer(_ configuration: ContainerConfiguration, inSandbox sandboxID: String, sandbox: SandboxConfiguration) async throws -> String
    func startContainer(_ id: String) async throws
    /// Sends the container its stop signal, and SIGKILL after `gracePeriod`. Idempotent.
    func stopContainer(_ id: String, gracePeriod: Duration) async throws
    /// Removes a container, killing it first if it still runs. Idempotent.
    func removeContainer(_ id: String) async throws
    func containerStatus(_ id: String) async throws -> ContainerStatus
    /// The containers of `sandboxID` (every sandbox when nil) whose labels include `labels`.
    func listContainers(inSandbox sandboxID: String?, labels: [String: String]) async throws -> [ContainerSummary]

    /// Runs `command` in a running container and waits for it, for at most `timeout` (nil: no limit).
    func execSync(_ id: String, command: [String], timeout: Duration?) async throws -> ExecResult
    /// The URL of the runtime's streaming server that serves `request` once (the kubelet
    /// streaming protocols: SPDY/3.1 or websocket channels).
    func streamingURL(_ request: StreamingRequest) async throws -> String
    /// The resource usage of one container.
    func containerStats(_ id: String) async throws -> ContainerStats
    /// The resource usage of every container.
    func listContainerStats() async throws -> [ContainerStats]
}
