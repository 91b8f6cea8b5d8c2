import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Makes one pod real on the node through a ``ContainerRuntime``, the way swarmkit's agent
/// moves a task: look at what the runtime holds, let ``PodPlanner`` pick the one next
/// transition, make that one runtime call, and look again.
///
/// The worker keeps nothing the runtime does not (but which images it pulled for containers
/// about to be created), so a new worker for a pod that already runs, after an agent restart,
/// finds its sandbox and containers and leaves them running.
public actor PodWorker {
    /// Where pods' files, logs and cgroups go, and the node they run on.
    public struct Options: Sendable {
        /// The node's name, a label on every sandbox and container (by which the agent tells its own).
        public var nodeName: String
        /// Each pod's own files (its emptyDir volumes) go under `<podDirectory>/<uid>/`.
        public var podDirectory: String
        /// Each pod's container logs go under `<logDirectory>/<namespace>_<name>_<uid>/`.
        public var logDirectory: String
        /// Each pod's cgroup is `<cgroupRoot>/pod<uid>` (cgroupfs syntax).
        public var cgroupRoot: String
        /// Containers of pods in their own network get the agent's `/etc/hosts` (``PodHostsFile``),
        /// for runtimes that do not write one with the pod's names.
        public var writesHostsFile: Bool

        public init(
            nodeName: String = "", podDirectory: String, logDirectory: String, cgroupRoot: String = "/flotilla", writesHostsFile: Bool = false
        ) {
            self.nodeName = nodeName
            self.writesHostsFile = writesHostsFile
            self.podDirectory = podDirectory
            self.logDirectory = logDirectory
            self.cgroupRoot = cgroupRoot
        }
    }

    public nonisolated let options: Options
    private let runtime: any ContainerRuntime
    private let planner = PodPlanner()
    private let hooks: LifecycleHookRunner
    private let events: EventRecorder?
    private let logger: Logger
    private var freshlyPulled: Set<String> = []
    /// Images that could not be pulled, and when to try again.
    private var pullFailures: [String: PullFailure] = [:]
    /// Containers that cannot be created as configured (a volume that is missing or not provided), by name.
    private var configurationFailures: [String: String] = [:]
    /// Containers that wait for a volume that cannot be set up yet (an unbound claim, say), by name.
    private var mountFailures: [String: String] = [:]
    /// Container instances whose start call was cut off (``ObservedPod/cutOffStarts``), while they exist.
    private var cutOffStarts: Set<String> = []

    private struct PullFailure {
        var attempts: Int
        var retryAt: Date
        var message: String
        /// The failure was reported once; the worker now waits out the back-off.
        var backingOff = false
    }

    /// What the worker saw before its last step.
    public private(set) var observed = ObservedPod()

    /// A worker whose containers' lifecycle hooks run in `hooks` (its own runner when nil), and
    /// which tells of volumes that cannot be mounted through `events`.
    public init(
        runtime: any ContainerRuntime, options: Options, hooks: LifecycleHookRunner? = nil, events: EventRecorder? = nil,
        logger: Logger = Logger(label: "flotilla.agent.pod")
    ) {
        self.runtime = runtime
        self.options = options
        self.hooks = hooks ?? LifecycleHookRunner(runtime: runtime, events: events, logger: logger)
        self.events = events
        self.logger = logger
    }

    /// Some container waits for a ConfigMap, Secret or volume that may appear: the pod is to be looked at again soon.
    public var waitsForInputs: Bool {
        !configurationFailures.isEmpty || !mountFailures.isEmpty
    }

    /// Takes steps toward `pod` until there is nothing to do now (``PodStep/idle``) or a
    /// container waits out its back-off (``PodStep/wait(until:container:)``), which it returns.
    /// Throws what a runtime call failed with (a dropped connection is tried again, 3 times).
    public func sync(_ pod: PodDesign, maxSteps: Int = 100) async throws -> PodStep {
        if !pod.deleting { refreshVolumeFiles(of: pod) }
        var dropped = 0
        for _ in 0..<maxSteps {
            let step: PodStep
            do {
                step = try await self.step(pod)
            } catch let error as FlotillaError where Self.isCutOff(error) && dropped < 3 {
                // The connection to the runtime dropped under a call, or its reply was lost: look
                // again, and the step is taken again only if it did not happen. The runtime may
                // still be carrying the call out (a sandbox half made looks ready before its
                // process exists), so give it a moment first.
                dropped += 1
                logger.info("runtime call lost; looking again", metadata: ["pod": .string("\(pod.namespace)/\(pod.name)"), "error": .string(error.message)])
                try await Task.sleep(for: .seconds(1))
                continue
            }
            switch step {
            case .idle, .wait: return step
            default: continue
            }
        }
        throw FlotillaError(.internalError, "pod \(pod.namespace)/\(pod.name) took more than \(maxSteps) steps without settling")
    }

    /// Whether a runtime call failed because the connection dropped under it or its deadline
    /// passed: it may or may not have been carried out.
    private static func isCutOff(_ error: FlotillaError) -> Bool {
        error.code == .serviceUnavailable || error.code == .timeout
    }

    /// Looks at the runtime, then takes the one next step toward `pod`; returns it. An image
    /// that cannot be pulled is tried again after a back-off (10 s doubling to 5 min), which the
    /// worker waits out (``PodStep/wait(until:container:)``); a container that cannot be created
    /// as configured (a missing volume, say) leaves the worker idle until the pod changes.
    @discardableResult
    public func step(_ pod: PodDesign, now: Date = Date()) async throws -> PodStep {
        observed = try await PodObserver(runtime: runtime).observe(
            pod, freshlyPulled: freshlyPulled, podDirectory: directory(of: pod), cgroup: cgroup(of: pod))
        let instances = Set(observed.instances.values.joined().map(\.id))
        cutOffStarts.formIntersection(instances)
        observed.cutOffStarts = cutOffStarts
        observed.postStartHooks = await hooks.runs(of: pod.uid, kind: .postStart, keeping: instances)
        observed.preStopHooks = await hooks.runs(of: pod.uid, kind: .preStop, keeping: instances)
        return try await take(planner.next(pod, observed: observed, now: now), for: pod, now: now)
    }

    /// The status `pod` has as of the worker's last look, with `lastStep` the step it took then.
    public func report(_ pod: PodDesign, lastStep: PodStep, hostIP: String) -> PodStatusReport {
        var failures: PodStatusReport.Failures = [:]
        for container in pod.initContainers + pod.containers {
            guard let failure = pullFailures[container.image] else { continue }
            failures[container.name] = failure.backingOff
                ? ("ImagePullBackOff", "Back-off pulling image \"\(container.image)\"") : ("ErrImagePull", failure.message)
        }
        for (name, message) in configurationFailures { failures[name] = ("CreateContainerConfigError", message) }
        for (name, message) in mountFailures { failures[name] = ("ContainerCreating", message) }
        return PodStatusReport(pod: pod, observed: observed, lastStep: lastStep, failures: failures, hostIP: hostIP)
    }

    /// Pulls `image` unless it failed lately; a failure waits out its back-off.
    private func pull(_ image: String, for pod: PodDesign, now: Date) async -> PodStep {
        let container = (pod.initContainers + pod.containers).first { $0.image == image }?.name ?? ""
        if var failure = pullFailures[image], now < failure.retryAt {
            failure.backingOff = true
            pullFailures[image] = failure
            return .wait(until: failure.retryAt, container: container)
        }
        do {
            _ = try await runtime.pullImage(image, credentials: PullSecrets.credentials(for: image, in: pod.pullCredentials))
            freshlyPulled.insert(image)
            pullFailures[image] = nil
            return .pullImage(image)
        } catch {
            let attempts = (pullFailures[image]?.attempts ?? 0) + 1
            let delay = Backoff.crashLoop.baseDelay(attempt: attempts - 1)
            let message = (error as? FlotillaError)?.message ?? "\(error)"
            let retryAt = now.addingTimeInterval(Double(delay.components.seconds))
            pullFailures[image] = PullFailure(attempts: attempts, retryAt: retryAt, message: message)
            logger.warning("cannot pull image", metadata: ["image": .string(image), "error": .string(message)])
            return .wait(until: retryAt, container: container)
        }
    }

    /// Takes `step`; returns it, or what came of it (a wait after a failed pull, idle after a
    /// container that cannot be created).
    private func take(_ step: PodStep, for pod: PodDesign, now: Date) async throws -> PodStep {
        logger.debug("pod step", metadata: ["pod": .string("\(pod.namespace)/\(pod.name)"), "step": "\(step)"])
        switch step {
        case .runSandbox(let attempt):
            _ = try await runtime.runSandbox(sandboxConfiguration(pod, attempt: attempt))
        case .stopSandbox(let id):
            try await runtime.stopSandbox(id)
        case .removeSandbox(let id):
            try await runtime.removeSandbox(id)
        case .pullImage(let image):
            return await pull(image, for: pod, now: now)
        case .createContainer(let name, let attempt):
            return try await create(name, attempt: attempt, in: pod) ? step : .idle
        case .startContainer(let id):
            do {
                try await runtime.startContainer(id)
            } catch let error as FlotillaError where Self.isCutOff(error) {
                cutOffStarts.insert(id)
                logger.warning(
                    "the start of a container was cut off before its reply: it may run, or the runtime may give the start up, which is no restart",
                    metadata: [
                        "pod": .string("\(pod.namespace)/\(pod.name)"), "container": .string(observed.instance(id)?.name ?? ""), "id": .string(id),
                        "error": .string(error.message),
                    ])
                throw error
            } catch where cutOffStarts.contains(id) {
                // Most likely the runtime still carries out the start that was cut off ("already
                // in starting state"): look again in a moment, when it ran or was given up.
                logger.info(
                    "a container whose start was cut off cannot be started again yet; looking again",
                    metadata: ["pod": .string("\(pod.namespace)/\(pod.name)"), "id": .string(id), "error": "\(error)"])
                return .wait(until: now.addingTimeInterval(1), container: observed.instance(id)?.name ?? "")
            }
            if let instance = observed.instance(id), let hook = container(instance.name, of: pod)?.postStart {
                await hooks.start(.postStart, hook, container: instance.name, id: id, pod: pod, podIP: podIP)
            }
        case .runPreStopHook(let id, let name):
            if let hook = container(name, of: pod)?.preStop {
                await hooks.start(.preStop, hook, container: name, id: id, pod: pod, podIP: podIP)
            }
        case .stopContainer(let id, let gracePeriod):
            try await runtime.stopContainer(id, gracePeriod: gracePeriod)
        case .removeContainer(let id):
            if let instance = observed.instance(id), observed.lostStart(instance) {
                logger.warning(
                    "the runtime gave up the start of a container whose start call was cut off; it never ran, and is made again as the same attempt (no restart)",
                    metadata: [
                        "pod": .string("\(pod.namespace)/\(pod.name)"), "container": .string(instance.name), "id": .string(id),
                        "attempt": "\(instance.attempt)", "reason": .string(instance.reason), "message": .string(instance.message),
                    ])
            }
            try await runtime.removeContainer(id)
        case .removeHostState:
            VolumeDirectory.unmountAll(under: directory(of: pod))
            try? FileManager.default.removeItem(atPath: directory(of: pod))
            try cgroup(of: pod).remove()
        case .wait, .idle:
            break
        }
        return step
    }

    /// The pod's address, where HTTP hooks go.
    private var podIP: String {
        observed.sandbox?.ips.first ?? ""
    }

    private func container(_ name: String, of pod: PodDesign) -> PodDesign.Container? {
        (pod.initContainers + pod.containers).first { $0.name == name }
    }

    /// Creates instance `attempt` of container `name` in the pod's sandbox; false when it cannot
    /// be created as configured, which the pod's status then tells (`CreateContainerConfigError`),
    /// or when a volume it mounts cannot be set up yet, which a `FailedMount` event tells
    /// and the pod's status shows as `ContainerCreating`.
    private func create(_ name: String, attempt: UInt32, in pod: PodDesign) async throws -> Bool {
        guard let container = container(name, of: pod), let sandbox = observed.sandbox else { return false }
        if let problem = container.configurationError {
            configurationFailures[name] = problem
            return false
        }
        if let problem = unmountable(container, in: pod) {
            if mountFailures.updateValue(problem, forKey: name) != problem {
                logger.info("volume cannot be mounted", metadata: ["pod": .string("\(pod.namespace)/\(pod.name)"), "message": .string(problem)])
                events?.record(namespace: pod.namespace, podName: pod.name, uid: pod.uid, type: "Warning", reason: "FailedMount", message: problem)
            }
            return false
        }
        mountFailures[name] = nil
        var configuration = containerConfiguration(container, pod: pod, attempt: attempt)
        if let ip = sandbox.ips.first {
            configuration.environment += container.podIPVariables.map { .init($0, ip) }
        }
        do {
            configuration.mounts = try mounts(of: container, in: pod)
            if options.writesHostsFile, !pod.hostNetwork, let ip = sandbox.ips.first, let hostname = pod.hostname,
               !configuration.mounts.contains(where: { $0.containerPath == "/etc/hosts" }) {
                configuration.mounts.append(try hostsFile(of: pod, podIP: ip, hostname: hostname))
            }
            configurationFailures[name] = nil
        } catch let error as FlotillaError {
            configurationFailures[name] = error.message
            return false
        }
        _ = try await runtime.createContainer(
            configuration, inSandbox: sandbox.id, sandbox: sandboxConfiguration(pod, attempt: sandbox.summary.attempt))
        freshlyPulled.remove(container.image)
        return true
    }

    /// Writes the pod's `/etc/hosts` into its directory; returns its mount.
    private func hostsFile(of pod: PodDesign, podIP: String, hostname: PodHostname) throws -> ContainerConfiguration.Mount {
        let path = directory(of: pod) + "/etc-hosts"
        do {
            try FileManager.default.createDirectory(atPath: directory(of: pod), withIntermediateDirectories: true)
            try PodHostsFile.contents(podIP: podIP, hostname: hostname).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw FlotillaError(.internalError, "cannot write the hosts file of pod \(pod.namespace)/\(pod.name): \(error)")
        }
        return ContainerConfiguration.Mount(containerPath: "/etc/hosts", hostPath: path, readOnly: false)
    }

    /// Why a volume `container` mounts cannot be set up (a claim not bound, a node path that is
    /// not what its type says), making node paths of the `…OrCreate` types; nil when all can.
    func unmountable(_ container: PodDesign.Container, in pod: PodDesign) -> String? {
        for mount in container.volumeMounts {
            guard let volume = pod.volumes.first(where: { $0.name == mount.volume }) else { continue }
            let problem: String
            switch volume.source {
            case .unavailable(let reason):
                problem = reason
            case .hostPath(let path, let type):
                do {
                    try type.prepare(path)
                    continue
                } catch {
                    problem = (error as? FlotillaError)?.message ?? "\(error)"
                }
            default:
                continue
            }
            return "MountVolume.SetUp failed for volume \"\(volume.name)\": \(problem)"
        }
        return nil
    }

    /// The host paths of a container's volume mounts, making emptyDir volumes (and subpaths in
    /// them) and writing the files of configMap, secret, downwardAPI and projected volumes as
    /// needed; throws `invalid` for a volume the pod lacks or the agent does not provide.
    func mounts(of container: PodDesign.Container, in pod: PodDesign) throws -> [ContainerConfiguration.Mount] {
        try container.volumeMounts.map { mount in
            guard let volume = pod.volumes.first(where: { $0.name == mount.volume }) else {
                throw FlotillaError(.invalid, "volume \"\(mount.volume)\" mounted by container \(container.name) is not among the pod's volumes")
            }
            var hostPath: String
            switch volume.source {
            case .emptyDir(let inMemory):
                hostPath = volumeDirectory(volume, kind: "empty-dir", of: pod)
                try VolumeDirectory.prepare(hostPath, inMemory: inMemory)
            case .files(let kind, let files, let inMemory):
                hostPath = volumeDirectory(volume, kind: kind, of: pod)
                try VolumeDirectory.prepare(hostPath, inMemory: inMemory)
                try VolumeDirectory.write(files, into: hostPath)
            case .hostPath(let path, _):
                hostPath = path
            case .persistentVolumeClaim(let claim):
                throw FlotillaError(.invalid, "volume \"\(volume.name)\" names persistentvolumeclaim \"\(claim)\", which was not looked up")
            case .unavailable(let reason):
                throw FlotillaError(.invalid, "volume \"\(volume.name)\" cannot be set up: \(reason)")
            case .unsupported(let kind):
                throw FlotillaError(.invalid, "volume \"\(volume.name)\" is a \(kind) volume, which this agent does not provide yet")
            }
            if !mount.subPath.isEmpty {
                hostPath += "/" + mount.subPath
                if case .emptyDir = volume.source {
                    try FileManager.default.createDirectory(atPath: hostPath, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
                }
            }
            return ContainerConfiguration.Mount(containerPath: mount.mountPath, hostPath: hostPath, readOnly: mount.readOnly || volume.isReadOnly)
        }
    }

    /// Rewrites the files of the pod's configMap, secret, downwardAPI and projected volumes that
    /// are already set up, so running containers see changes (as kubelet's periodic sync does).
    func refreshVolumeFiles(of pod: PodDesign) {
        for volume in pod.volumes {
            guard case .files(let kind, let files, _) = volume.source else { continue }
            let path = volumeDirectory(volume, kind: kind, of: pod)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                try VolumeDirectory.write(files, into: path)
            } catch {
                logger.warning("cannot refresh volume files", metadata: ["volume": .string(volume.name), "error": "\(error)"])
            }
        }
    }

    /// Where a volume of the pod lives on the node: `<pod directory>/volumes/<kind>/<name>`.
    func volumeDirectory(_ volume: PodVolume, kind: String, of pod: PodDesign) -> String {
        "\(directory(of: pod))/volumes/\(kind)/\(volume.name)"
    }

    /// The pod's cgroup, every container's parent.
    func cgroup(of pod: PodDesign) -> PodCgroup {
        PodCgroup(path: "\(options.cgroupRoot)/pod\(pod.uid)")
    }

    /// The pod's own directory on the node.
    func directory(of pod: PodDesign) -> String {
        "\(options.podDirectory)/\(pod.uid)"
    }

    /// The sandbox of `pod`: its identity, host name and labels, log directory, cgroup, network and DNS.
    func sandboxConfiguration(_ pod: PodDesign, attempt: UInt32) -> SandboxConfiguration {
        SandboxConfiguration(
            podName: pod.name, podNamespace: pod.namespace, podUID: pod.uid, attempt: attempt, hostname: pod.hostname?.hostname,
            logDirectory: "\(options.logDirectory)/\(pod.namespace)_\(pod.name)_\(pod.uid)", dns: pod.dns, portMappings: pod.hostPorts,
            hostNetwork: pod.hostNetwork,
            cgroupParent: cgroup(of: pod).path, labels: [PodLabels.podUID: pod.uid, PodLabels.node: options.nodeName])
    }

    /// Instance `attempt` of `container`, logging to `<name>/<attempt>.log` in the pod's log directory.
    func containerConfiguration(_ container: PodDesign.Container, pod: PodDesign, attempt: UInt32) -> ContainerConfiguration {
        ContainerConfiguration(
            name: container.name, attempt: attempt, image: container.image, command: container.command, args: container.args,
            workingDirectory: container.workingDirectory, environment: container.environment, resources: container.resources,
            stdin: container.stdin, stdinOnce: container.stdinOnce, tty: container.tty,
            labels: [PodLabels.podUID: pod.uid, PodLabels.container: container.name, PodLabels.node: options.nodeName],
            annotations: [PodLabels.fingerprint: container.fingerprint])
    }
}
