import Foundation

/// One transition of a pod on its node, the single next thing its worker does: each is one
/// runtime call, after which the worker looks again and plans the next.
public enum PodStep: Sendable, Equatable {
    /// Create and start the pod's sandbox (its network namespace and IP).
    case runSandbox(attempt: UInt32)
    case stopSandbox(id: String)
    case removeSandbox(id: String)
    /// Pull the image a container needs.
    case pullImage(String)
    /// Create instance `attempt` of the container (its restart count).
    case createContainer(name: String, attempt: UInt32)
    case startContainer(id: String)
    /// Start the preStop hook of running container instance `id` (of container `container`),
    /// in the background: the container is stopped once it ended or the grace period is up.
    case runPreStopHook(id: String, container: String)
    /// Stop a running container: its stop signal, then SIGKILL after the grace period.
    case stopContainer(id: String, gracePeriod: Duration)
    case removeContainer(id: String)
    /// Remove the pod's own directory (its emptyDir volumes) and cgroup once nothing of it runs or is left.
    case removeHostState
    /// Nothing before `until`: a container waits out its restart back-off (`CrashLoopBackOff`),
    /// or a stopping container's preStop hook runs, at most until the grace period is up, or the
    /// runtime still carries out a container start whose call was cut off.
    case wait(until: Date, container: String)
    /// Nothing to do until something changes: the pod runs, or has finished, or is gone.
    case idle
}
