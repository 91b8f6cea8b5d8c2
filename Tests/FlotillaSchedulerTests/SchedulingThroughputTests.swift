import FlotillaCore
import FlotillaScheduler
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
        var random = SystemRandomNumberGenerator()
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
}
