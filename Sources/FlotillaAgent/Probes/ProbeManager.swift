import FlotillaCore
import Foundation
import Logging

/// Runs the probes of the running containers of a node's pods, as a kubelet's prober does:
/// one loop per container instance and probe, after its initial delay, every period. Startup
/// gates the others; readiness decides whether a container counts as ready; a container that
/// fails its liveness (or startup) probe `failureThreshold` times in a row is stopped — after
/// its preStop hook, whose time counts against the grace period — and its restart policy
/// decides what follows. A check that could not be made because its runtime call was lost
/// counts neither way.
///
/// Results are kept by container id: a restarted container starts over, unready and unstarted.
/// Each change of a result is told to `onChange` with the pod's uid, for a new status.
actor ProbeManager {
    /// What the probes of one container instance found so far.
    struct Results: Sendable, Equatable {
        /// No readiness probe, or it passed last.
        var ready: Bool
        /// No startup probe, or it has passed.
        var started: Bool
    }

    private enum Kind: String {
        case liveness, readiness, startup
    }

    private struct Key: Hashable {
        var containerID: String
        var kind: Kind
    }

    private let check: ProbeCheck
    private let hooks: LifecycleHookRunner
    private let onChange: @Sendable (String) -> Void
    private let logger: Logger
    private var tasks: [Key: Task<Void, Never>] = [:]
    private var results: [String: Results] = [:]
    /// Container ids probed, by pod uid.
    private var containers: [String: Set<String>] = [:]

    init(runtime: any ContainerRuntime, hooks: LifecycleHookRunner, logger: Logger, onChange: @escaping @Sendable (String) -> Void) {
        check = ProbeCheck(runtime: runtime)
        self.hooks = hooks
        self.onChange = onChange
        self.logger = logger
    }

    /// The results of container instance `id`; nil for one not probed (ready and started as soon as it runs).
    func results(of id: String) -> Results? {
        results[id]
    }

    /// Probes every running container of `pod` that has probes, and stops probing the pod's
    /// containers that no longer run.
    func update(_ pod: PodDesign, observed: ObservedPod) {
        var running: Set<String> = []
        let ip = observed.sandbox?.ips.first ?? ""
        if !pod.deleting {
            for container in pod.containers where !container.probes.isEmpty {
                guard let instance = observed.latest(container.name), instance.state == .running else { continue }
                running.insert(instance.id)
                start(container, instance: instance.id, pod: pod, podIP: ip)
            }
        }
        for id in (containers[pod.uid] ?? []).subtracting(running) { stop(id) }
        containers[pod.uid] = running.isEmpty ? nil : running
    }

    /// Stops probing the containers of a pod that is gone.
    func forget(_ uid: String) {
        for id in containers[uid] ?? [] { stop(id) }
        containers[uid] = nil
    }

    private func start(_ container: PodDesign.Container, instance id: String, pod: PodDesign, podIP: String) {
        if results[id] == nil {
            results[id] = Results(ready: container.probes.readiness == nil, started: container.probes.startup == nil)
        }
        let probes: [(Kind, Probe?)] = [(.startup, container.probes.startup), (.readiness, container.probes.readiness), (.liveness, container.probes.liveness)]
        for (kind, probe) in probes {
            guard let probe, tasks[Key(containerID: id, kind: kind)] == nil else { continue }
            let context = "\(pod.namespace)/\(pod.name) container \(container.name)"
            tasks[Key(containerID: id, kind: kind)] = Task { [weak self] in
                await self?.loop(kind, probe, id: id, container: container, pod: pod, podIP: podIP, context: context)
            }
        }
    }

    private func stop(_ id: String) {
        for kind in [Kind.liveness, .readiness, .startup] {
            tasks.removeValue(forKey: Key(containerID: id, kind: kind))?.cancel()
        }
        results[id] = nil
    }

    /// Checks `probe` every period until cancelled (or, for a startup probe, until it passed).
    private func loop(
        _ kind: Kind, _ probe: Probe, id: String, container: PodDesign.Container, pod: PodDesign, podIP: String, context: String
    ) async {
        let uid = pod.uid
        try? await Task.sleep(for: probe.initialDelay)
        var successes = 0, failures = 0
        while !Task.isCancelled {
            let started = results[id]?.started ?? false
            if kind == .startup && started { return }
            if kind == .startup || started {
                switch await check.run(probe, podIP: podIP, containerID: id) {
                case .success:
                    successes += 1
                    failures = 0
                    if successes >= (kind == .readiness ? probe.successThreshold : 1) { record(kind, passed: true, id: id, uid: uid) }
                case .failure(let message):
                    failures += 1
                    successes = 0
                    if failures >= probe.failureThreshold {
                        let changed = record(kind, passed: false, id: id, uid: uid)
                        logger.log(
                            level: changed || kind != .readiness ? .info : .debug, "\(kind.rawValue) probe failed",
                            metadata: ["container": .string(context), "message": .string(message)])
                        if kind != .readiness {
                            await kill(id, container: container, pod: pod, podIP: podIP, context: context)
                            return
                        }
                    }
                case .unknown(let message):
                    logger.info("\(kind.rawValue) probe could not be made; its result is left out", metadata: ["container": .string(context), "message": .string(message)])
                }
            }
            try? await Task.sleep(for: probe.period)
        }
    }

    /// Records a probe's verdict; returns whether the container's results changed.
    @discardableResult
    private func record(_ kind: Kind, passed: Bool, id: String, uid: String) -> Bool {
        guard var current = results[id] else { return false }
        switch kind {
        case .readiness: current.ready = passed
        case .startup: current.started = current.started || passed
        case .liveness: return false
        }
        guard current != results[id] else { return false }
        results[id] = current
        onChange(uid)
        return true
    }

    /// Stops a container that failed its liveness or startup probe, after its preStop hook
    /// (unless the grace period is 0); it restarts as its policy says.
    private func kill(_ id: String, container: PodDesign.Container, pod: PodDesign, podIP: String, context: String) async {
        logger.notice("stopping a container that failed its probe; it will be restarted", metadata: ["container": .string(context)])
        var gracePeriod = pod.terminationGracePeriod
        if let hook = container.preStop, gracePeriod > .zero {
            let run = await hooks.run(.preStop, hook, container: container.name, id: id, pod: pod, podIP: podIP)
            gracePeriod = run.remainingGracePeriod(of: gracePeriod, now: Date())
        }
        do {
            try await check.runtime.stopContainer(id, gracePeriod: gracePeriod)
        } catch {
            logger.warning("cannot stop the container", metadata: ["container": .string(context), "error": "\(error)"])
        }
        onChange(pod.uid)
    }
}
