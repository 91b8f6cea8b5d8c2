import Foundation

/// What the runtime holds of one pod, as its worker last looked: the pod's newest sandbox, every
/// instance of each of its containers in that sandbox (oldest first), what else is left over,
/// and which of its images are on the node.
public struct ObservedPod: Sendable, Equatable {
    /// The newest sandbox of the pod, if any.
    public var sandbox: SandboxStatus?
    /// Older sandboxes of the pod, to stop and remove.
    public var staleSandboxes: [SandboxSummary]
    /// By container name, its instances in ``sandbox``, by attempt.
    public var instances: [String: [ContainerStatus]]
    /// Containers of the pod outside ``sandbox`` (left from older sandboxes), to remove.
    public var strayContainers: [String]
    /// Images (as the pod names them) on the node.
    public var images: Set<String>
    /// Images pulled for the next creation of a container with pull policy Always.
    public var freshlyPulled: Set<String>
    /// The pod's own directory (its emptyDir volumes) or cgroup exists on the node.
    public var hasHostState: Bool
    /// The postStart hooks run for container instances since the agent started, by container id.
    public var postStartHooks: [String: HookRun] = [:]
    /// The preStop hooks run for container instances, by container id.
    public var preStopHooks: [String: HookRun] = [:]
    /// Container instances, by id, whose start call was cut off before its reply came (the
    /// connection to the runtime dropped under it): each may have started, or the runtime may
    /// have given the start up with the call.
    public var cutOffStarts: Set<String> = []

    public init(
        sandbox: SandboxStatus? = nil, staleSandboxes: [SandboxSummary] = [], instances: [String: [ContainerStatus]] = [:],
        strayContainers: [String] = [], images: Set<String> = [], freshlyPulled: Set<String> = [], hasHostState: Bool = false
    ) {
        self.sandbox = sandbox
        self.staleSandboxes = staleSandboxes
        self.instances = instances
        self.strayContainers = strayContainers
        self.images = images
        self.freshlyPulled = freshlyPulled
        self.hasHostState = hasHostState
    }

    /// The newest instance of container `name`.
    public func latest(_ name: String) -> ContainerStatus? {
        instances[name]?.last
    }

    /// Whether running instance `id` waits for its postStart hook, or saw it fail: it does not
    /// count as started yet. An instance started before the agent did has no hook run to wait for.
    public func awaitsPostStart(_ id: String) -> Bool {
        guard let run = postStartHooks[id] else { return false }
        return run.outcome != .succeeded
    }

    /// The instance with id `id`, of any container.
    public func instance(_ id: String) -> ContainerStatus? {
        instances.values.joined().first { $0.id == id }
    }

    /// Whether `instance` exited without ever running after its start call was cut off: the
    /// runtime gave the start up with the call, so the container did not run and did not fail.
    /// Such an instance is made again as the same attempt, not counted as a restart.
    public func lostStart(_ instance: ContainerStatus) -> Bool {
        instance.state == .exited && instance.startedAt == nil && cutOffStarts.contains(instance.id)
    }

    /// Instances older than the newest two of each container: kubelet keeps the previous one
    /// for `kubectl logs --previous`, and so does the agent.
    public var expiredInstances: [ContainerStatus] {
        instances.keys.sorted().flatMap { instances[$0]!.dropLast(2) }
    }
}
