import FlotillaAgent
import Foundation

/// Pods, sandboxes and container instances for the pod worker's unit tests, at a fixed time.
struct PodExamples {
    let now = Date(timeIntervalSince1970: 1_000_000)

    func pod(restart: PodDesign.RestartPolicy = .always, initContainers: [String] = [], deleting: Bool = false) -> PodDesign {
        PodDesign(
            uid: "u1", name: "web", restartPolicy: restart,
            initContainers: initContainers.map { PodDesign.Container(name: $0, image: "busybox:1") },
            containers: [PodDesign.Container(name: "app", image: "busybox:1")], terminationGracePeriod: .seconds(5),
            deleting: deleting)
    }

    func sandbox(_ id: String = "s1", _ state: SandboxState = .ready, attempt: UInt32 = 0) -> SandboxStatus {
        SandboxStatus(
            summary: SandboxSummary(
                id: id, podName: "web", podNamespace: "default", podUID: "u1", attempt: attempt, state: state, createdAt: now,
                labels: [:], annotations: [:]),
            ips: state == .ready ? ["10.244.0.2"] : [])
    }

    func container(
        _ name: String, _ state: ContainerState, attempt: UInt32 = 0, exitCode: Int32? = nil, ranFor seconds: Double = 1,
        finishedAgo: Double = 0
    ) -> ContainerStatus {
        let finished = now.addingTimeInterval(-finishedAgo)
        return ContainerStatus(
            id: "\(name)-\(attempt)", name: name, attempt: attempt, state: state, createdAt: finished.addingTimeInterval(-seconds - 1),
            startedAt: state == .created ? nil : finished.addingTimeInterval(-seconds), finishedAt: state == .exited ? finished : nil,
            exitCode: state == .exited ? exitCode ?? 0 : nil, reason: "", message: "", image: "busybox:1", imageID: "sha256:1",
            logPath: "", labels: [:], annotations: [:])
    }

    func observed(sandbox: SandboxStatus? = nil, _ containers: [ContainerStatus] = [], images: Set<String> = ["busybox:1"]) -> ObservedPod {
        ObservedPod(sandbox: sandbox, instances: Dictionary(grouping: containers, by: \.name), images: images)
    }
}
