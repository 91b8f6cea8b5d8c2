import FlotillaCRI
import Foundation

// `flotilla-bench cri-pods`: what a pod costs the container runtime alone. Each pod is the CRI's
// three calls, made straight to containerd with no server and no agent: RunPodSandbox (the pause
// container and the pod network), CreateContainer and StartContainer of one container. This is
// the least any kubelet pays for a pod on this runtime, to set beside `ctr run` (one container,
// no sandbox, no network) and beside Flotilla's own pod startup.
//   flotilla-bench cri-pods --endpoint unix:///PATH --image IMAGE --log-dir DIR [--pods N] [--interval S]

/// One pod's sandbox and container, started through the runtime's CRI.
private func startPod(_ client: CRIClient, name: String, image: String, logDirectory: String) async throws -> (Double, String) {
    let clock = ContinuousClock()
    let begin = clock.now
    let sandbox = Runtime_V1_PodSandboxConfig.with { config in
        config.metadata = .with {
            $0.name = name
            $0.namespace = "flotilla-bench-cri"
            $0.uid = UUID().uuidString.lowercased()
        }
        config.hostname = name
        config.logDirectory = "\(logDirectory)/\(name)"
        config.labels = ["flotilla-bench": "cri-pods"]
        config.linux = .with {
            $0.securityContext.namespaceOptions = .with {
                $0.network = .pod
                $0.pid = .container
                $0.ipc = .pod
            }
        }
    }
    let sandboxID = try await client.runPodSandbox(.with { $0.config = sandbox }).podSandboxID
    let container = try await client.createContainer(.with {
        $0.podSandboxID = sandboxID
        $0.sandboxConfig = sandbox
        $0.config = .with {
            $0.metadata.name = "app"
            $0.image.image = image
            $0.command = ["sleep", "100000"]
            $0.logPath = "app.log"
            $0.linux.securityContext.namespaceOptions = sandbox.linux.securityContext.namespaceOptions
        }
    }).containerID
    try await client.startContainer(id: container)
    let elapsed = clock.now - begin
    return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15, sandboxID)
}

/// The CPU time the machine has spent working (user, nice, system, irq, softirq; not idle, not
/// waiting, not stolen by the hypervisor) since boot, in milliseconds.
private func machineBusyMilliseconds() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
        let line = stat.split(separator: "\n").first
    else { return 0 }
    let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    let busy = [0, 1, 2, 5, 6].filter { $0 < ticks.count }.reduce(0) { $0 + ticks[$1] }
    return busy * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Stops and removes the sandboxes (and with them their containers and network).
private func removePods(_ client: CRIClient, _ sandboxes: [String]) async {
    for id in sandboxes {
        try? await client.stopPodSandbox(id: id)
        try? await client.removePodSandbox(id: id)
    }
}

func runCRIPods() async throws {
    guard let endpoint = option("--endpoint"), let image = option("--image"), let logDirectory = option("--log-dir") else {
        fatalError("--endpoint, --image and --log-dir are required")
    }
    let pods = Int(option("--pods") ?? "30") ?? 30
    let interval = Double(option("--interval") ?? "0.1") ?? 0.1
    let client = try CRIClient(endpoint: endpoint)
    _ = try await client.pullImage(.with { $0.image.image = image })

    // One after another: each pod has the machine to itself.
    var sequential: [Double] = []
    var sandboxes: [String] = []
    let busyBefore = machineBusyMilliseconds()
    for i in 0..<pods {
        let (ms, id) = try await startPod(client, name: "seq\(i)", image: image, logDirectory: logDirectory)
        sequential.append(ms)
        sandboxes.append(id)
    }
    let sequentialBusy = (machineBusyMilliseconds() - busyBefore) / Double(pods)
    await removePods(client, sandboxes)

    // Paced: one pod begun every `interval` seconds whether or not the last one is up.
    let pacedBusyBefore = machineBusyMilliseconds()
    let start = ContinuousClock.now
    let paced = try await withThrowingTaskGroup(of: (Double, String).self) { group in
        for i in 0..<pods {
            try await Task.sleep(until: start + .milliseconds(Int(Double(i) * interval * 1000)), clock: .continuous)
            group.addTask { try await startPod(client, name: "paced\(i)", image: image, logDirectory: logDirectory) }
        }
        var results: [(Double, String)] = []
        for try await result in group { results.append(result) }
        return results
    }
    let pacedBusy = (machineBusyMilliseconds() - pacedBusyBefore) / Double(pods)
    await removePods(client, paced.map(\.1))
    await client.close()
    emit([
        "sequential_ms": sequential, "paced_ms": paced.map(\.0),
        "machine_cpu_per_sequential_pod_ms": sequentialBusy, "machine_cpu_per_paced_pod_ms": pacedBusy,
    ])
}
