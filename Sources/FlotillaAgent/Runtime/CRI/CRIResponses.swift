import FlotillaCRI
import Foundation

// The agent's values read from the CRI messages a runtime answers with.

extension Date {
    /// A CRI timestamp: nanoseconds since the Unix epoch.
    init(nanosecondsSince1970 nanoseconds: Int64) {
        self.init(timeIntervalSince1970: Double(nanoseconds) / 1e9)
    }
}

extension SandboxState {
    init(_ state: Runtime_V1_PodSandboxState) {
        self = state == .sandboxReady ? .ready : .notReady
    }
}

extension SandboxSummary {
    init(_ sandbox: Runtime_V1_PodSandbox) {
        self.init(
            id: sandbox.id, podName: sandbox.metadata.name, podNamespace: sandbox.metadata.namespace,
            podUID: sandbox.metadata.uid, attempt: sandbox.metadata.attempt, state: SandboxState(sandbox.state),
            createdAt: Date(nanosecondsSince1970: sandbox.createdAt), labels: sandbox.labels, annotations: sandbox.annotations)
    }
}

extension SandboxStatus {
    init(_ status: Runtime_V1_PodSandboxStatus) {
        let summary = SandboxSummary(
            id: status.id, podName: status.metadata.name, podNamespace: status.metadata.namespace,
            podUID: status.metadata.uid, attempt: status.metadata.attempt, state: SandboxState(status.state),
            createdAt: Date(nanosecondsSince1970: status.createdAt), labels: status.labels, annotations: status.annotations)
        let ips = ([status.network.ip] + status.network.additionalIps.map(\.ip)).filter { !$0.isEmpty }
        self.init(summary: summary, ips: ips)
    }
}

extension ContainerState {
    init(_ state: Runtime_V1_ContainerState) {
        switch state {
        case .containerCreated: self = .created
        case .containerRunning: self = .running
        case .containerExited: self = .exited
        default: self = .unknown
        }
    }
}

extension ContainerSummary {
    init(_ container: Runtime_V1_Container) {
        self.init(
            id: container.id, sandboxID: container.podSandboxID, name: container.metadata.name,
            attempt: container.metadata.attempt, state: ContainerState(container.state), image: container.image.image,
            imageID: container.imageRef, createdAt: Date(nanosecondsSince1970: container.createdAt),
            labels: container.labels, annotations: container.annotations)
    }
}

extension ContainerStatus {
    init(_ status: Runtime_V1_ContainerStatus) {
        let state = ContainerState(status.state)
        self.init(
            id: status.id, name: status.metadata.name, attempt: status.metadata.attempt, state: state,
            createdAt: Date(nanosecondsSince1970: status.createdAt),
            startedAt: status.startedAt > 0 ? Date(nanosecondsSince1970: status.startedAt) : nil,
            finishedAt: status.finishedAt > 0 ? Date(nanosecondsSince1970: status.finishedAt) : nil,
            exitCode: state == .exited ? status.exitCode : nil, reason: status.reason, message: status.message,
            image: status.image.image, imageID: status.imageRef, logPath: status.logPath, labels: status.labels,
            annotations: status.annotations)
    }
}

extension ImageInfo {
    init(_ image: Runtime_V1_Image) {
        self.init(id: image.id, tags: image.repoTags, digests: image.repoDigests, sizeBytes: image.size)
    }
}

extension ContainerStats {
    init(_ stats: Runtime_V1_ContainerStats) {
        self.init(
            containerID: stats.attributes.id, name: stats.attributes.metadata.name, labels: stats.attributes.labels,
            timestamp: max(stats.cpu.timestamp, stats.memory.timestamp),
            cpuUsageCoreNanoseconds: stats.cpu.hasUsageCoreNanoSeconds ? stats.cpu.usageCoreNanoSeconds.value : nil,
            memoryWorkingSetBytes: stats.memory.hasWorkingSetBytes ? stats.memory.workingSetBytes.value : nil,
            writableLayerBytes: stats.writableLayer.hasUsedBytes ? stats.writableLayer.usedBytes.value : nil)
    }
}
