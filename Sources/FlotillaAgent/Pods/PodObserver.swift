import Foundation

/// Reads what a container runtime holds of one pod into an ``ObservedPod``: its sandboxes and
/// containers by the pod's uid label, newest sandbox first in line, whether the images of the
/// containers it may create next are on the node, and whether its directory or cgroup is.
struct PodObserver: Sendable {
    let runtime: any ContainerRuntime

    func observe(_ pod: PodDesign, freshlyPulled: Set<String>, podDirectory: String, cgroup: PodCgroup) async throws -> ObservedPod {
        let selector = [PodLabels.podUID: pod.uid]
        let sandboxes = try await runtime.listSandboxes(labels: selector).sorted { ($0.attempt, $0.createdAt) < ($1.attempt, $1.createdAt) }
        var observed = ObservedPod(
            staleSandboxes: Array(sandboxes.dropLast()), freshlyPulled: freshlyPulled,
            hasHostState: FileManager.default.fileExists(atPath: podDirectory) || cgroup.exists)
        if let newest = sandboxes.last { observed.sandbox = try await runtime.sandboxStatus(newest.id) }
        for container in try await runtime.listContainers(inSandbox: nil, labels: selector) {
            guard container.sandboxID == observed.sandbox?.id else {
                observed.strayContainers.append(container.id)
                continue
            }
            observed.instances[container.name, default: []].append(try await runtime.containerStatus(container.id))
        }
        for name in observed.instances.keys { observed.instances[name]!.sort { $0.attempt < $1.attempt } }
        for image in Self.imagesToCreateFrom(pod, observed) where try await runtime.image(image) != nil {
            observed.images.insert(image)
        }
        return observed
    }

    /// The images a next step may create a container from: none while the pod is going away or
    /// has no ready sandbox; else those of the containers with no instance yet or whose latest
    /// instance exited. A running pod's look costs no image lookups.
    static func imagesToCreateFrom(_ pod: PodDesign, _ observed: ObservedPod) -> Set<String> {
        guard !pod.deleting, observed.sandbox?.state == .ready else { return [] }
        return Set((pod.initContainers + pod.containers).lazy
            .filter { container in observed.latest(container.name).map { $0.state == .exited } ?? true }
            .map(\.image))
    }
}
