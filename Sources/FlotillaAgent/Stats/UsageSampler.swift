import FlotillaAPI
import Foundation

/// Measures the node and its running containers for the metrics API: CPU rates from two
/// readings of cumulative CPU time (the host's `/proc/stat`, the containers' CRI stats), memory
/// working sets as they are now, and the pod each container belongs to (its sandbox's metadata).
public struct UsageSampler: Sendable {
    let runtime: any ContainerRuntime
    let tracker: CPURateTracker
    static let nodeKey = "node"

    public init(runtime: any ContainerRuntime, tracker: CPURateTracker = CPURateTracker()) {
        self.runtime = runtime
        self.tracker = tracker
    }

    /// One measurement: the readings of the node (``nodeKey``) and of each container (by id).
    struct Measurement {
        var readings: [String: CPURateTracker.Reading] = [:]
        var nodeTime = Date()
        var nodeMemory: UInt64 = 0
        var containers: [ContainerStats] = []
    }

    /// The usage of the node and its running containers. When something has no earlier reading
    /// to make a rate with (the first request, a new container), it measures again after the
    /// tracker's minimum window; what has no rate even then is left out.
    public func report() async throws -> UsageReport {
        var measurement = try await measure()
        var rates = tracker.rates(measurement.readings)
        if rates.count < measurement.readings.count {
            try await Task.sleep(for: tracker.minimumWindow)
            measurement = try await measure()
            rates = tracker.rates(measurement.readings)
        }
        let nodeRate = rates[Self.nodeKey] ?? CPURateTracker.Rate(nanoCores: 0, windowNanoseconds: 0)
        let node = UsageReport.Sample(
            timestamp: measurement.nodeTime, windowNanoseconds: nodeRate.windowNanoseconds, cpuNanoCores: nodeRate.nanoCores,
            memoryWorkingSetBytes: measurement.nodeMemory)
        return UsageReport(node: node, pods: try await pods(measurement.containers, rates: rates))
    }

    /// The containers that have a rate, grouped by the pod of their sandbox.
    private func pods(_ containers: [ContainerStats], rates: [String: CPURateTracker.Rate]) async throws -> [UsageReport.Pod] {
        var sandboxes: [String: SandboxSummary] = [:]
        for sandbox in try await runtime.listSandboxes(labels: [:]) where sandboxes[sandbox.podUID]?.state != .ready {
            sandboxes[sandbox.podUID] = sandbox
        }
        var pods: [String: UsageReport.Pod] = [:]
        for stats in containers {
            guard let uid = stats.labels[PodLabels.podUID], let sandbox = sandboxes[uid], let rate = rates[stats.containerID],
                let memory = stats.memoryWorkingSetBytes
            else { continue }
            let sample = UsageReport.Sample(
                timestamp: Date(timeIntervalSince1970: Double(stats.timestamp) / 1e9), windowNanoseconds: rate.windowNanoseconds,
                cpuNanoCores: rate.nanoCores, memoryWorkingSetBytes: memory)
            let name = stats.labels[PodLabels.container] ?? stats.name
            pods[uid, default: UsageReport.Pod(name: sandbox.podName, namespace: sandbox.podNamespace, uid: uid, containers: [])]
                .containers.append(UsageReport.Container(name: name, sample: sample))
        }
        return pods.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.map { pod in
            var pod = pod
            pod.containers.sort { $0.name < $1.name }
            return pod
        }
    }

    /// Reads the host's counters and the CRI stats of every container that has CPU figures.
    private func measure() async throws -> Measurement {
        var measurement = Measurement()
        measurement.containers = try await runtime.listContainerStats().filter { $0.cpuUsageCoreNanoseconds != nil }
        measurement.nodeTime = Date()
        if let cpu = HostUsage.cpuNanoseconds() {
            measurement.readings[Self.nodeKey] = CPURateTracker.Reading(
                cumulativeNanoseconds: cpu, timestamp: Int64(measurement.nodeTime.timeIntervalSince1970 * 1e9))
        }
        measurement.nodeMemory = HostUsage.memoryWorkingSetBytes() ?? 0
        for stats in measurement.containers {
            guard let cpu = stats.cpuUsageCoreNanoseconds else { continue }
            measurement.readings[stats.containerID] = CPURateTracker.Reading(cumulativeNanoseconds: cpu, timestamp: stats.timestamp)
        }
        return measurement
    }
}
