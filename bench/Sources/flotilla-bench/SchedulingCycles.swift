import FlotillaCore
import FlotillaScheduler
import Foundation

// The scheduler's own ceiling: scheduling cycles run in-process against a cluster state of
// hollow nodes, with no API, store or network in the way. The scheduler runs its cycles one at
// a time, so their rate bounds how many pods per second it can place however fast the rest is.
// The baseline, in the same run, is the same pods on a 100-node cluster: below 100 nodes a
// cycle judges every node, on the large one it judges `NodeSampling` of them (500 of 5,000),
// so a cycle that costs the same per node judged comes out 5 times slower.

/// `flotilla-bench cycles [--nodes 5000] [--pods 10000]`
func runSchedulingCycles() {
    let nodes = Int(option("--nodes") ?? "") ?? 5000
    let pods = Int(option("--pods") ?? "") ?? 10000
    let baseline = cycleRun(nodes: NodeSampling.minimumNodes, pods: pods)
    let large = cycleRun(nodes: nodes, pods: pods)
    emit([
        "nodes": nodes, "pods": pods,
        "nodes_judged_per_cycle": large.judged,
        "cycles_per_second": large.perSecond, "microseconds_per_cycle": large.microseconds,
        "microseconds_per_node_judged": large.microseconds / large.judged,
        "baseline_nodes": NodeSampling.minimumNodes, "baseline_cycles_per_second": baseline.perSecond,
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
}

/// Places `pods` pods requesting 100m cpu and 128Mi memory on `nodes` nodes of 32 cpus,
/// 128Gi and 110 pods each (the simulated nodes' shape), assuming each where it goes.
private func cycleRun(nodes: Int, pods: Int) -> CycleRun {
    let state = ClusterState()
    for i in 0..<nodes {
        state.upsertNode(NodeView(json: [
            "metadata": ["name": .string("hollow-\(i)"), "labels": ["kubernetes.io/hostname": .string("hollow-\(i)")]],
            "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": "110", "ephemeral-storage": "100Gi"]],
        ]))
    }
    let infos = (0..<pods).map { i in
        PodInfo(json: [
            "metadata": ["name": .string("p\(i)"), "namespace": "bench", "uid": .string("u\(i)"), "labels": ["app": "bench"]],
            "spec": ["containers": [["name": "c", "image": "busybox", "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]]],
        ])
    }
    let stack = SchedulingStack(profile: .spread)
    var random = SchedulingRandom()
    var judged = 0
    let start = ContinuousClock.now
    for pod in infos {
        guard case .success(let placement) = stack.schedule(pod, in: state, random: &random) else { continue }
        judged += placement.examined
        state.assume(pod, on: placement.nodeName)
    }
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    return CycleRun(perSecond: Double(pods) / seconds, microseconds: seconds * 1e6 / Double(pods), judged: Double(judged) / Double(pods))
}
