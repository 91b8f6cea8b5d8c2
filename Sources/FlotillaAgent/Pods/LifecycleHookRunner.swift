import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Runs containers' lifecycle hooks off the pod workers, so that a hook that takes its time
/// holds up only its own container: a worker starts a hook and plans on from what the runner
/// reports of it (``HookRun``), and hears of its end through `onFinish` (with the pod's uid).
/// A failed hook is told as a Warning event (`FailedPostStartHook`, `FailedPreStopHook`), as a
/// kubelet tells it. Commands run with the grace period as their timeout, HTTP GETs go to the
/// pod's address through ``ProbeCheck``.
public actor LifecycleHookRunner {
    private struct Key: Hashable {
        var containerID: String
        var kind: LifecycleHook.Kind
    }

    private let check: ProbeCheck
    private let events: EventRecorder?
    private let logger: Logger
    private let onFinish: @Sendable (String) -> Void
    /// Runs by pod uid.
    private var runs: [String: [Key: HookRun]] = [:]

    public init(
        runtime: any ContainerRuntime, events: EventRecorder? = nil, logger: Logger = Logger(label: "flotilla.agent.hooks"),
        onFinish: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        check = ProbeCheck(runtime: runtime)
        self.events = events
        self.logger = logger
        self.onFinish = onFinish
    }

    /// The runs of `pod`'s hooks of `kind`, by container id; forgets runs of containers not in `keeping`.
    public func runs(of pod: String, kind: LifecycleHook.Kind, keeping: Set<String>) -> [String: HookRun] {
        runs[pod] = runs[pod]?.filter { keeping.contains($0.key.containerID) }
        var found: [String: HookRun] = [:]
        for (key, run) in runs[pod] ?? [:] where key.kind == kind { found[key.containerID] = run }
        return found
    }

    /// Starts `hook` of container instance `id` (container `container` of `pod`) in the
    /// background, unless it ran or runs already; `onFinish` hears when it ends.
    public func start(_ kind: LifecycleHook.Kind, _ hook: LifecycleHook, container: String, id: String, pod: PodDesign, podIP: String) {
        guard begin(kind, id: id, pod: pod.uid) else { return }
        Task {
            await self.execute(kind, hook, container: container, id: id, pod: pod, podIP: podIP)
            self.onFinish(pod.uid)
        }
    }

    /// Runs `hook` of container instance `id` and waits for it (a run already begun is waited for).
    @discardableResult
    public func run(
        _ kind: LifecycleHook.Kind, _ hook: LifecycleHook, container: String, id: String, pod: PodDesign, podIP: String
    ) async -> HookRun {
        if begin(kind, id: id, pod: pod.uid) {
            await execute(kind, hook, container: container, id: id, pod: pod, podIP: podIP)
        }
        while let run = runs[pod.uid]?[Key(containerID: id, kind: kind)], run.outcome == nil {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return runs[pod.uid]?[Key(containerID: id, kind: kind)] ?? HookRun(startedAt: Date(), outcome: .succeeded)
    }

    /// Forgets the runs of a pod that is gone.
    public func forget(_ pod: String) {
        runs[pod] = nil
    }

    /// Records the start of a run; false when one ran or runs already.
    private func begin(_ kind: LifecycleHook.Kind, id: String, pod: String) -> Bool {
        let key = Key(containerID: id, kind: kind)
        guard runs[pod]?[key] == nil else { return false }
        runs[pod, default: [:]][key] = HookRun(startedAt: Date())
        return true
    }

    private func execute(_ kind: LifecycleHook.Kind, _ hook: LifecycleHook, container: String, id: String, pod: PodDesign, podIP: String) async {
        let outcome = await outcome(of: hook, kind: kind, container: container, id: id, pod: pod, podIP: podIP)
        runs[pod.uid]?[Key(containerID: id, kind: kind)]?.outcome = outcome
        guard case .failed(let message) = outcome else { return }
        logger.warning(
            "lifecycle hook failed",
            metadata: ["pod": .string("\(pod.namespace)/\(pod.name)"), "container": .string(container), "message": .string(message)])
        // A preStop hook's output may hold secrets: its event, as a kubelet's, says only that it failed.
        events?.record(
            namespace: pod.namespace, podName: pod.name, uid: pod.uid, fieldPath: fieldPath(of: container, in: pod), type: "Warning",
            reason: "Failed\(kind.rawValue)Hook", message: kind == .preStop ? "PreStopHook failed" : message)
    }

    /// Runs the hook: a command or HTTP GET with the pod's grace period as its timeout; a
    /// preStop pause no longer than the grace period.
    private func outcome(
        of hook: LifecycleHook, kind: LifecycleHook.Kind, container: String, id: String, pod: PodDesign, podIP: String
    ) async -> HookRun.Outcome {
        let podName = "\(pod.name)_\(pod.namespace)(\(pod.uid))"
        switch hook.action {
        case .sleep(let duration):
            try? await Task.sleep(for: kind == .preStop ? min(duration, pod.terminationGracePeriod) : duration)
            return .succeeded
        case .unsupported(let handler):
            return .failed("\(kind.rawValue) hook of container \"\(container)\" in pod \"\(podName)\": \(handler) handlers are not supported")
        case .check(let action):
            let probe = Probe(action: action, timeout: max(pod.terminationGracePeriod, .seconds(1)))
            switch await check.run(probe, podIP: podIP, containerID: id) {
            case .success:
                return .succeeded
            case .failure(let message), .unknown(let message):
                // A hook is run once: one whose call was lost failed, as far as anyone can tell.
                let what: String
                switch action {
                case .exec(let command): what = "Exec lifecycle hook (\(command))"
                case .httpGet(_, _, _, let path, _): what = "HTTP lifecycle hook (\(path))"
                case .tcpSocket: what = "TCP lifecycle hook"
                }
                return .failed("\(what) for Container \"\(container)\" in Pod \"\(podName)\" failed - error: \(message)")
            }
        }
    }

    /// The field of the pod's spec that names the container, as events give it.
    private func fieldPath(of container: String, in pod: PodDesign) -> String {
        pod.initContainers.contains { $0.name == container } ? "spec.initContainers{\(container)}" : "spec.containers{\(container)}"
    }
}
