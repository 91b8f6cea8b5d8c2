import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaScheduler
import FlotillaStore
import Foundation
import Testing

/// How many scheduling cycles per second the placement algorithm alone sustains (no API
/// calls), printed rather than asserted since machines are noisy. Runs only with
/// `FLOTILLA_SCHEDULER_BENCH=1`; build with `-c release` for meaningful figures.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOTILLA_SCHEDULER_BENCH"] != nil), .serialized)
struct SchedulingThroughputTests {
    static func node(_ index: Int, zones: Int) -> NodeView {
        NodeView(
            name: "node-\(index)",
            labels: ["kubernetes.io/hostname": "node-\(index)", "topology.kubernetes.io/zone": "zone-\(index % zones)"],
            allocatable: ResourceAmounts(milliCPU: 32_000, memory: 128 << 30), allowedPods: 110)
    }

    /// Schedules `pods` pods built by `makePod` onto `nodes` nodes, assuming each placement.
    static func run(_ label: String, nodes: Int, pods: Int, existing: Int = 0, makePod: (Int) -> JSON) -> Int {
        let state = ClusterState()
        for index in 0..<nodes { state.upsertNode(node(index, zones: 10)) }
        for index in 0..<existing {
            var pod = makePod(-index - 1)
            pod[path: ["spec", "nodeName"]] = .string("node-\(index % nodes)")
            state.upsertPod(PodInfo(json: pod))
        }
        let infos = (0..<pods).map { PodInfo(json: makePod($0)) }
        let stack = SchedulingStack()
        var random = SchedulingRandom()
        var placed = 0
        let elapsed = ContinuousClock().measure {
            for pod in infos {
                if case .success(let placement) = stack.schedule(pod, in: state, random: &random) {
                    state.assume(pod, on: placement.nodeName)
                    placed += 1
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("bench scheduler.\(label) nodes=\(nodes) pods=\(pods) existing=\(existing) placed=\(placed) seconds=\(String(format: "%.3f", seconds)) pods_per_second=\(Int(Double(pods) / seconds))")
        return placed
    }

    static func pod(_ index: Int, labels: [String: String] = [:], spec extra: JSON = [:]) -> JSON {
        var spec: JSON = ["containers": [["name": "c", "image": "pause", "resources": ["requests": ["cpu": "100m", "memory": "100Mi"]]]]]
        for (key, value) in extra.object ?? [:] { spec[key] = value }
        return [
            "metadata": [
                "name": .string("pod-\(index)"), "namespace": "bench", "uid": .string("uid-\(index)"),
                "labels": .object(JSONObject(uniqueKeysWithValues: labels.map { ($0.key, JSON.string($0.value)) })),
            ],
            "spec": spec,
        ]
    }

    @Test func basic() {
        #expect(Self.run("basic", nodes: 5_000, pods: 10_000) { Self.pod($0) } == 10_000)
    }

    @Test func antiAffinity() {
        let spec: JSON = ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["color": "green"]], "topologyKey": "kubernetes.io/hostname"],
        ]]]]
        // Each node takes one green pod: 1,000 placed, then the cluster is full of them.
        #expect(Self.run("anti_affinity", nodes: 1_000, pods: 1_000, existing: 0) { Self.pod($0, labels: ["color": "green"], spec: spec) } == 1_000)
    }

    @Test func topologySpread() {
        let spec: JSON = ["topologySpreadConstraints": [
            ["maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": ["matchLabels": ["app": "spread"]]],
        ]]
        #expect(Self.run("topology_spread", nodes: 1_000, pods: 5_000, existing: 30_000) { Self.pod($0, labels: ["app": "spread"], spec: spec) } == 5_000)
    }

    /// The whole path in one process: the API server over SQLite, the informers, the scheduler
    /// and its bindings. Nodes and pods are created first; the clock runs from the scheduler's
    /// start until every pod is bound.
    @Test(arguments: [false, true]) func inProcessBindings(scheduledEvents: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(path: directory + "/state.db")
        let server = APIServer(store: store)
        let client = KubernetesClient(transport: InProcessTransport(handler: server, user: "admin"))
        let nodes = 1_000, pods = 5_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for index in stride(from: worker, to: nodes, by: 16) {
                        let node = Self.node(index, zones: 10)
                        let object: JSON = [
                            "apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(node.name)],
                            "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": "110"]],
                        ]
                        _ = try await client.create(.nodes, object)
                    }
                    for index in stride(from: worker, to: pods, by: 16) {
                        var pod = Self.pod(index)
                        pod["metadata"]["namespace"] = "default"
                        pod["apiVersion"] = "v1"
                        pod["kind"] = "Pod"
                        _ = try await client.create(.pods, pod)
                    }
                }
            }
            try await group.waitForAll()
        }
        let scheduler = Scheduler(
            client: KubernetesClient(transport: InProcessTransport(handler: server, user: Scheduler.user)),
            configuration: SchedulerConfiguration(recordScheduledEvents: scheduledEvents))
        let start = ContinuousClock.now
        let running = Task { try? await scheduler.run() }
        while scheduler.statistics.scheduled < pods && ContinuousClock.now - start < .seconds(120) {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("bench scheduler.in_process events=\(scheduledEvents) nodes=\(nodes) pods=\(pods) scheduled=\(scheduler.statistics.scheduled) seconds=\(String(format: "%.3f", seconds)) pods_per_second=\(Int(Double(pods) / seconds))")
        #expect(scheduler.statistics.scheduled == pods)
        running.cancel()
        _ = await running.value
        server.shutdown()
        try await store.close()
    }
}

