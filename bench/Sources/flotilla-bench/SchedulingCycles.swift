import FlotillaCore
import FlotillaScheduler
import Foundation

// The scheduler's own ceiling: scheduling cycles run in-process against a cluster state of
// hollow nodes, with no API, store or network in the way. The scheduler runs its cycles one at
// a time, so their rate bounds how many pods per second it can place however fast the rest is.
//
// Shapes, as in `flotilla-bench scheduling`:
// - `basic`: the baseline, in the same run, is the same pods on a 100-node cluster. Below 100
//   nodes a cycle judges every node; on the large one it judges `NodeSampling` of them (500 of
//   5,000), so a cycle that costs the same per node judged comes out 5 times slower.
// - `spread`: the pods carry the required anti-affinity and zone spread constraint; the
//   baseline, in the same run, is basic pods on the same nodes, so the ratio is what the
//   constraints cost a cycle.

/// `flotilla-bench cycles [--shape basic|spread] [--nodes N] [--pods P] [--zones Z]`
func runSchedulingCycles() throws {
    let shape = option("--shape") ?? "basic"
    let spread = shape == "spread"
    let nodes = Int(option("--nodes") ?? "") ?? (spread ? 1000 : 5000)
    let pods = Int(option("--pods") ?? "") ?? (spread ? 30000 : 10000)
    let zones = Int(option("--zones") ?? "") ?? (spread ? 10 : 0)
    let baselineNodes = spread ? nodes : NodeSampling.minimumNodes
    let baseline = try cycleRun(nodes: baselineNodes, zones: zones, pods: pods, shape: "basic")
    let large = try cycleRun(nodes: nodes, zones: zones, pods: pods, shape: shape)
    emit([
        "shape": shape, "nodes": nodes, "pods": pods, "zones": zones, "placed": large.placed,
        "nodes_judged_per_cycle": large.judged,
        "cycles_per_second": large.perSecond, "microseconds_per_cycle": large.microseconds,
        "microseconds_per_node_judged": large.microseconds / large.judged,
        "baseline_shape": "basic", "baseline_nodes": baselineNodes, "baseline_cycles_per_second": baseline.perSecond,
        "baseline_microseconds_per_cycle": baseline.microseconds,
        "cycle_vs_baseline": large.microseconds / baseline.microseconds,
        "judged_vs_baseline": large.judged / baseline.judged,
    ])
}

private struct CycleRun {
    var perSecond: Double
    var microseconds: Double
    /// Nodes judged per cycle, on average.
    var judged: Double
    /// Pods that found a node.
    var placed: Int
}

/// Places `pods` pods of `shape` (the pods `flotilla-bench scheduling` creates, requesting 100m
/// cpu and 128Mi memory) on `nodes` nodes of 32 cpus, 128Gi and 110 pods each (the simulated
/// nodes' shape, node `i` in zone `i % zones` when `zones` > 0), assuming each where it goes.
private func cycleRun(nodes: Int, zones: Int, pods: Int, shape: String) throws -> CycleRun {
    let state = ClusterState()
    for i in 0..<nodes {
        var labels: JSON = ["kubernetes.io/hostname": .string("hollow-\(i)")]
        if zones > 0 { labels["topology.kubernetes.io/zone"] = .string("zone-\(i % zones)") }
        state.upsertNode(NodeView(json: [
            "metadata": ["name": .string("hollow-\(i)"), "labels": labels],
            "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": "110", "ephemeral-storage": "100Gi"]],
        ]))
    }
    let infos = try (0..<pods).map { i in
        var pod = try JSONParser.parse(schedulingPod("p\(i)", shape: shape, group: i / nodes))
        pod["metadata"]["namespace"] = "bench"
        pod["metadata"]["uid"] = .string("u\(i)")
        return PodInfo(json: pod)
    }
    let stack = SchedulingStack(profile: .spread)
    var random = SchedulingRandom()
    var judged = 0
    var placed = 0
    let start = ContinuousClock.now
    for pod in infos {
        guard case .success(let placement) = stack.schedule(pod, in: state, random: &random) else { continue }
        judged += placement.examined
        placed += 1
        state.assume(pod, on: placement.nodeName)
    }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    return CycleRun(
        perSecond: Double(pods) / seconds, microseconds: seconds * 1e6 / Double(pods),
        judged: Double(judged) / Double(max(placed, 1)), placed: placed)
}
