import FlotillaCore
import Foundation

/// The step function of a pod worker: from what the pod should be (``PodDesign``) and what the
/// runtime holds of it (``ObservedPod``), the one ``PodStep`` to take next. It keeps no state of
/// its own — everything it needs is in the runtime — so an agent that restarts picks up where
/// it was, and running containers are left running.
///
/// In order: a pod being deleted is torn down (containers stopped with the grace period, each
/// after its preStop hook, the sandbox stopped, everything removed, its directory last); leftovers of older sandboxes and expired container
/// instances are removed; the sandbox is (re)created when missing or no longer ready; init
/// containers run one at a time to success; then the containers start, and those that exit are
/// started again as the restart policy says, after the crash-loop back-off (10 s doubling to
/// 5 min with each restart, from 10 s again once a run lasted 10 minutes). A container whose
/// spec changed (its image, say) is stopped and created anew at once. A container with a
/// postStart hook counts as started once the hook succeeded, and the containers after it wait
/// until then; one whose hook failed is stopped, and restarts as its policy says. An instance
/// that never ran because its start call was cut off (``ObservedPod/lostStart(_:)``) is removed
/// and made again as the same attempt: it is no restart.
///
/// A container with a preStop hook is stopped in two steps: the hook is started (it runs in
/// the background), and once it ended — or the grace period is up — the container gets its
/// stop signal with what is left of the grace period (at least 2 s).
public struct PodPlanner: Sendable {
    /// The back-off between restarts of a crashing container.
    public var backoff: Backoff = .crashLoop
    /// A run at least this long resets the back-off.
    public var backoffReset: Duration = .seconds(600)

    public init() {}

    public func next(_ pod: PodDesign, observed: ObservedPod, now: Date) -> PodStep {
        if pod.deleting { return tearDown(pod, observed, now: now) }
        if let stale = observed.staleSandboxes.first {
            return stale.state == .ready ? .stopSandbox(id: stale.id) : .removeSandbox(id: stale.id)
        }
        if let stray = observed.strayContainers.first { return .removeContainer(id: stray) }
        if let expired = observed.expiredInstances.first { return .removeContainer(id: expired.id) }

        guard let sandbox = observed.sandbox else { return .runSandbox(attempt: 0) }
        if sandbox.state != .ready {
            // Its containers went with it: a finished pod stays so; any other gets a new sandbox.
            if finished(pod, observed) { return .idle }
            return .runSandbox(attempt: sandbox.summary.attempt + 1)
        }

        for container in pod.initContainers {
            guard let latest = observed.latest(container.name) else { return create(container, attempt: 0, observed) }
            switch latest.state {
            case .created: return .startContainer(id: latest.id)
            case .running: return .idle
            case .exited where observed.lostStart(latest): return .removeContainer(id: latest.id)
            case .exited where latest.exitCode == 0: continue
            case .exited:
                if pod.restartPolicy == .never { return stopSandboxOfFinished(sandbox) }
                return restart(container, after: latest, observed, now: now)
            case .unknown: return .removeContainer(id: latest.id)
            }
        }

        for container in pod.containers {
            guard let latest = observed.latest(container.name) else { return create(container, attempt: 0, observed) }
            let changed = latest.annotations[PodLabels.fingerprint].map { $0 != container.fingerprint } ?? false
            switch latest.state {
            case .created where changed: return .removeContainer(id: latest.id)
            case .created: return .startContainer(id: latest.id)
            case .running where changed: return stop(latest, of: container, pod, observed, now: now)
            case .running:
                guard let postStart = observed.postStartHooks[latest.id] else { continue }
                switch postStart.outcome {
                case nil: return .idle
                case .failed?: return stop(latest, of: container, pod, observed, now: now)
                case .succeeded?: continue
                }
            case .exited where observed.lostStart(latest): return .removeContainer(id: latest.id)
            case .exited where changed && pod.restartPolicy != .never:
                return create(container, attempt: latest.attempt + 1, observed)
            case .exited where restarts(pod.restartPolicy, exitCode: latest.exitCode ?? 0):
                return restart(container, after: latest, observed, now: now)
            case .exited: continue
            case .unknown: return .removeContainer(id: latest.id)
            }
        }
        if finished(pod, observed) { return stopSandboxOfFinished(sandbox) }
        return .idle
    }

    /// Stops whatever runs — the preStop hooks of all running containers start first, then
    /// each container is stopped when its hook ended — then removes the containers and the sandboxes.
    private func tearDown(_ pod: PodDesign, _ observed: ObservedPod, now: Date) -> PodStep {
        let all = observed.instances.keys.sorted().flatMap { observed.instances[$0]! }
        let stops = all.filter { $0.state == .running }.map { instance in
            stop(instance, of: (pod.initContainers + pod.containers).first { $0.name == instance.name }, pod, observed, now: now)
        }
        if let hook = stops.first(where: { if case .runPreStopHook = $0 { true } else { false } }) { return hook }
        if let stop = stops.first(where: { if case .stopContainer = $0 { true } else { false } }) { return stop }
        let waits = stops.compactMap { step -> (Date, PodStep)? in
            if case .wait(let until, _) = step { (until, step) } else { nil }
        }
        if let soonest = waits.min(by: { $0.0 < $1.0 }) { return soonest.1 }
        if let sandbox = observed.sandbox, sandbox.state == .ready { return .stopSandbox(id: sandbox.id) }
        if let container = all.first { return .removeContainer(id: container.id) }
        if let stray = observed.strayContainers.first { return .removeContainer(id: stray) }
        if let sandbox = observed.sandbox { return .removeSandbox(id: sandbox.id) }
        if let stale = observed.staleSandboxes.first {
            return stale.state == .ready ? .stopSandbox(id: stale.id) : .removeSandbox(id: stale.id)
        }
        return observed.hasHostState ? .removeHostState : .idle
    }

    /// The next step in stopping running `instance` of `container`: its preStop hook (unless
    /// the grace period is 0), waiting for the hook until the grace period is up, then its stop
    /// signal with what is left of the grace period, at least ``HookRun/minimumGracePeriod``. A
    /// preStop hook run already (by the prober, before stopping a container that failed its
    /// liveness probe) is not run again.
    private func stop(
        _ instance: ContainerStatus, of container: PodDesign.Container?, _ pod: PodDesign, _ observed: ObservedPod, now: Date
    ) -> PodStep {
        let grace = pod.terminationGracePeriod
        guard let run = observed.preStopHooks[instance.id] else {
            guard container?.preStop != nil, grace > .zero else { return .stopContainer(id: instance.id, gracePeriod: grace) }
            return .runPreStopHook(id: instance.id, container: instance.name)
        }
        let deadline = run.startedAt.addingTimeInterval(Double(grace.components.seconds))
        if run.outcome == nil && now < deadline { return .wait(until: deadline, container: instance.name) }
        return .stopContainer(id: instance.id, gracePeriod: run.remainingGracePeriod(of: grace, now: now))
    }

    /// Whether a container that exited with `exitCode` is started again.
    private func restarts(_ policy: PodDesign.RestartPolicy, exitCode: Int32) -> Bool {
        switch policy {
        case .always: return true
        case .onFailure: return exitCode != 0
        case .never: return false
        }
    }

    /// No container will run again: every one has exited for good (or an init container failed under `Never`).
    func finished(_ pod: PodDesign, _ observed: ObservedPod) -> Bool {
        if pod.restartPolicy == .always || pod.containers.isEmpty { return false }
        let initFailed = pod.initContainers.contains { container in
            observed.latest(container.name).map { $0.state == .exited && $0.exitCode != 0 && !observed.lostStart($0) } ?? false
        }
        if initFailed && pod.restartPolicy == .never { return true }
        return pod.containers.allSatisfy { container in
            guard let latest = observed.latest(container.name), latest.state == .exited, !observed.lostStart(latest) else { return false }
            return !restarts(pod.restartPolicy, exitCode: latest.exitCode ?? 0)
        }
    }

    /// A finished pod keeps its containers (for their logs and statuses) but not its sandbox.
    private func stopSandboxOfFinished(_ sandbox: SandboxStatus) -> PodStep {
        .stopSandbox(id: sandbox.id)
    }

    /// Pulls the image first when the pull policy asks for it, else creates the container.
    private func create(_ container: PodDesign.Container, attempt: UInt32, _ observed: ObservedPod) -> PodStep {
        switch container.pullPolicy {
        case .always where !observed.freshlyPulled.contains(container.image),
            .ifNotPresent where !observed.images.contains(container.image):
            return .pullImage(container.image)
        default:
            return .createContainer(name: container.name, attempt: attempt)
        }
    }

    /// The next instance of a container that exited, once its back-off has passed.
    private func restart(_ container: PodDesign.Container, after latest: ContainerStatus, _ observed: ObservedPod, now: Date) -> PodStep {
        let finishedAt = latest.finishedAt ?? now
        let ranFor = latest.startedAt.map { finishedAt.timeIntervalSince($0) } ?? 0
        let attempt = ranFor >= Double(backoffReset.components.seconds) ? 0 : Int(latest.attempt)
        let delay = backoff.baseDelay(attempt: attempt)
        let allowedAt = finishedAt.addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        if now < allowedAt { return .wait(until: allowedAt, container: container.name) }
        return create(container, attempt: latest.attempt + 1, observed)
    }
}
