import FlotillaCore
import Foundation

/// The `status` a pod's worker reports: the phase, the pod's addresses and conditions, and each
/// container's state in Kubernetes' words — waiting (`PodInitializing`, `ContainerCreating`,
/// `CrashLoopBackOff`, or why it cannot start, like `ErrImagePull`; a container whose postStart
/// hook has not succeeded still waits in `ContainerCreating`), running, or terminated
/// (`Completed`, `Error`, `OOMKilled`) with its exit code — with its restart count and its
/// previous run as `lastState`.
public struct PodStatusReport: Sendable {
    /// Why a container cannot be created, by container name: `reason` and `message` of its waiting state.
    public typealias Failures = [String: (reason: String, message: String)]

    public var pod: PodDesign
    public var observed: ObservedPod
    /// The worker's last step: a back-off wait shows as `CrashLoopBackOff`.
    public var lastStep: PodStep
    public var failures: Failures
    /// What the probes of running container instances found, by container id: a container is
    /// ready once started and ready by its probes (right away when it has none).
    public var probeResults: [String: (ready: Bool, started: Bool)] = [:]
    public var hostIP: String
    /// The runtime's name, the scheme of container ids (`containerd://…`).
    public var runtimeName: String

    public init(
        pod: PodDesign, observed: ObservedPod, lastStep: PodStep, failures: Failures = [:], hostIP: String, runtimeName: String = "containerd"
    ) {
        self.pod = pod
        self.observed = observed
        self.lastStep = lastStep
        self.failures = failures
        self.hostIP = hostIP
        self.runtimeName = runtimeName
    }

    /// The status object; transition times and the start time are kept from `previous` (the
    /// pod's current status) where nothing changed.
    public func status(previous: JSON = .null, now: Date) -> JSON {
        let time = JSON.string(Timestamp.format(now))
        var status: JSONObject = [
            "phase": .string(phase),
            "conditions": .array(conditions(previous: previous["conditions"], now: time)),
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]],
            "startTime": previous["startTime"].isNull ? time : previous["startTime"],
        ]
        let ips = pod.hostNetwork ? [hostIP] : (observed.sandbox?.state == .ready ? observed.sandbox?.ips ?? [] : [])
        if let first = ips.first {
            status["podIP"] = .string(first)
            status["podIPs"] = .array(ips.map { ["ip": .string($0)] })
        }
        if !pod.initContainers.isEmpty {
            status["initContainerStatuses"] = .array(pod.initContainers.map { containerStatus($0, initializing: false) })
        }
        status["containerStatuses"] = .array(pod.containers.map { containerStatus($0, initializing: !initialized) })
        return .object(status)
    }

    /// Every init container has succeeded.
    var initialized: Bool {
        pod.initContainers.allSatisfy { container in
            observed.latest(container.name).map { $0.state == .exited && $0.exitCode == 0 } ?? false
        }
    }

    /// `Pending` until the containers have started, `Running` while any runs or will run again,
    /// then `Succeeded` when every container exited 0 or `Failed`.
    var phase: String {
        if PodPlanner().finished(pod, observed) {
            let initFailed = pod.initContainers.contains { observed.latest($0.name)?.exitCode.map { $0 != 0 } ?? false }
            let allSucceeded = pod.containers.allSatisfy { observed.latest($0.name)?.exitCode == 0 }
            return !initFailed && allSucceeded ? "Succeeded" : "Failed"
        }
        let started = pod.containers.allSatisfy { container in
            observed.latest(container.name).map { $0.state != .created && !observed.lostStart($0) && !observed.awaitsPostStart($0.id) } ?? false
        }
        return observed.sandbox?.state == .ready && initialized && started ? "Running" : "Pending"
    }

    private var containersReady: Bool {
        pod.containers.allSatisfy { isReady(observed.latest($0.name)) }
    }

    /// Running past its postStart hook, started and ready by its probes.
    private func isReady(_ instance: ContainerStatus?) -> Bool {
        guard let instance, instance.state == .running, !observed.awaitsPostStart(instance.id) else { return false }
        let results = probeResults[instance.id]
        return (results?.ready ?? true) && (results?.started ?? true)
    }

    /// Running past its postStart hook and its startup probe.
    private func isStarted(_ instance: ContainerStatus?) -> Bool {
        guard let instance, instance.state == .running, !observed.awaitsPostStart(instance.id) else { return false }
        return probeResults[instance.id]?.started ?? true
    }

    private func conditions(previous: JSON, now: JSON) -> [JSON] {
        let values: [(String, Bool)] = [
            ("PodReadyToStartContainers", observed.sandbox?.state == .ready), ("Initialized", initialized),
            ("Ready", containersReady), ("ContainersReady", containersReady), ("PodScheduled", true),
        ]
        return values.map { type, isTrue in
            let status: JSON = isTrue ? "True" : "False"
            let before = previous.array?.first { $0["type"] == .string(type) }
            let transition = before?["status"] == status ? before?["lastTransitionTime"] ?? now : now
            return ["type": .string(type), "status": status, "lastProbeTime": nil, "lastTransitionTime": transition]
        }
    }

    private func containerStatus(_ container: PodDesign.Container, initializing: Bool) -> JSON {
        let instances = observed.instances[container.name] ?? []
        let latest = instances.last
        var status: JSONObject = [
            "name": .string(container.name), "image": .string(container.image), "imageID": .string(latest?.imageID ?? ""),
            "ready": .bool(isReady(latest)), "started": .bool(isStarted(latest)),
            "restartCount": .int(Int64(latest?.attempt ?? 0)),
        ]
        if let latest { status["containerID"] = .string(containerID(latest)) }
        var lastState: JSON = .emptyObject
        let state: JSON
        switch latest?.state {
        case _ where failures[container.name] != nil && latest?.state != .running:
            let failure = failures[container.name]!
            state = waiting(failure.reason, failure.message)
            if let latest, latest.state == .exited { lastState = terminated(latest) }
        case nil:
            state = waiting(initializing ? "PodInitializing" : "ContainerCreating")
        case .created?, .unknown?:
            state = waiting("ContainerCreating")
        case .exited? where observed.lostStart(latest!):
            // Its start was cut off with the call and it is about to be made again.
            state = waiting("ContainerCreating")
            if instances.count > 1 { lastState = terminated(instances[instances.count - 2]) }
        case .running? where observed.awaitsPostStart(latest!.id):
            state = waiting("ContainerCreating")
            if instances.count > 1 { lastState = terminated(instances[instances.count - 2]) }
        case .running?:
            state = ["running": ["startedAt": .string(Timestamp.format(latest?.startedAt ?? Date()))]]
            if instances.count > 1 { lastState = terminated(instances[instances.count - 2]) }
        case .exited?:
            if case .wait(let until, let name) = lastStep, name == container.name, let latest {
                let delay = Int((until.timeIntervalSince(latest.finishedAt ?? until)).rounded())
                state = waiting(
                    "CrashLoopBackOff", "back-off \(delay)s restarting failed container=\(container.name) pod=\(pod.name)_\(pod.namespace)(\(pod.uid))")
                lastState = terminated(latest)
            } else {
                state = terminated(latest!)
                if instances.count > 1 { lastState = terminated(instances[instances.count - 2]) }
            }
        }
        status["state"] = state
        status["lastState"] = lastState
        return .object(status)
    }

    private func containerID(_ container: ContainerStatus) -> String {
        "\(runtimeName)://\(container.id)"
    }

    private func waiting(_ reason: String, _ message: String? = nil) -> JSON {
        var waiting: JSONObject = ["reason": .string(reason)]
        if let message { waiting["message"] = .string(message) }
        return ["waiting": .object(waiting)]
    }

    private func terminated(_ container: ContainerStatus) -> JSON {
        let exitCode = container.exitCode ?? 0
        let reason = container.reason.isEmpty ? (exitCode == 0 ? "Completed" : "Error") : container.reason
        var terminated: JSONObject = [
            "exitCode": .int(Int64(exitCode)), "reason": .string(reason), "containerID": .string(containerID(container)),
        ]
        if !container.message.isEmpty { terminated["message"] = .string(container.message) }
        if let startedAt = container.startedAt { terminated["startedAt"] = .string(Timestamp.format(startedAt)) }
        if let finishedAt = container.finishedAt { terminated["finishedAt"] = .string(Timestamp.format(finishedAt)) }
        return ["terminated": .object(terminated)]
    }
}
