import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct UnschedulableMessageTests {
    @Test func kubernetesFormWithCountsSortedAsStrings() {
        let failure = FitFailure(nodeCount: 5, reasonCounts: [
            "Insufficient cpu": 2, "node(s) didn't match Pod's node affinity/selector": 2,
            "node(s) had untolerated taint {dedicated: gpu}": 1,
        ])
        #expect(failure.message == "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.")
    }

    @Test func countsSortAsTextNotNumbers() {
        let failure = FitFailure(nodeCount: 12, reasonCounts: ["Insufficient cpu": 10, "Insufficient memory": 2])
        #expect(failure.message == "0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.")
    }

    @Test func noNodesAndPreFilterMessages() {
        #expect(FitFailure(nodeCount: 0).message == "no nodes available to schedule pods")
        #expect(FitFailure(nodeCount: 3, preFilterMessage: "bad annotation").message == "0/3 nodes are available: bad annotation.")
    }

    @Test func aCycleJudgesTaintsAndCordonsOnlyWhileSomeNodeHasThem() {
        // Filters that no node could fail are skipped, and judged again once one could.
        let state = Fixtures.cluster(nodes: [Fixtures.node("a"), Fixtures.node("b")])
        let stack = SchedulingStack()
        let pod = PodInfo(json: Fixtures.pod(cpu: "1"))
        var random = SchedulingRandom(seed: 7)
        guard case .success = stack.schedule(pod, in: state, random: &random) else {
            Issue.record("two free nodes")
            return
        }
        state.upsertNode(NodeView(json: Fixtures.node("a", taints: [Fixtures.taint("dedicated", "gpu")])))
        state.upsertNode(NodeView(json: Fixtures.node("b", unschedulable: true)))
        guard case .failure(let failure) = stack.schedule(pod, in: state, random: &random) else {
            Issue.record("one node is tainted and the other cordoned")
            return
        }
        #expect(failure.reasonCounts == ["node(s) had untolerated taint {dedicated: gpu}": 1, "node(s) were unschedulable": 1])
        state.upsertNode(NodeView(json: Fixtures.node("b")))
        guard case .success(let placement) = stack.schedule(pod, in: state, random: &random) else {
            Issue.record("b is uncordoned")
            return
        }
        #expect(placement.nodeName == "b")
    }

    @Test func aCycleCountsTheFirstFailingFilterPerNode() {
        // The issue's example: two nodes too small, two with the wrong disk, one tainted.
        let state = Fixtures.cluster(nodes: [
            Fixtures.node("small-1", cpu: "1", labels: ["disktype": "ssd"]), Fixtures.node("small-2", cpu: "1", labels: ["disktype": "ssd"]),
            Fixtures.node("hdd-1", labels: ["disktype": "hdd"]), Fixtures.node("hdd-2", labels: ["disktype": "hdd"]),
            Fixtures.node("gpu", labels: ["disktype": "ssd"], taints: [Fixtures.taint("dedicated", "gpu")]),
        ])
        let pod = PodInfo(json: Fixtures.pod(cpu: "2", spec: ["nodeSelector": ["disktype": "ssd"]]))
        var random = SchedulingRandom(seed: 42)
        guard case .failure(let failure) = SchedulingStack().schedule(pod, in: state, random: &random) else {
            Issue.record("the pod should fit nowhere")
            return
        }
        #expect(failure.reasonCounts == [
            "Insufficient cpu": 2, "node(s) didn't match Pod's node affinity/selector": 2,
            "node(s) had untolerated taint {dedicated: gpu}": 1,
        ])
        #expect(failure.message == "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.")
        // Only the small nodes could make room by evicting pods.
        #expect(Set(failure.resolvableSlots.compactMap { state.slots[$0]?.name }) == ["small-1", "small-2"])

        // Without the selector, the taint is still judged before the resources.
        guard case .failure(let second) = SchedulingStack().schedule(PodInfo(json: Fixtures.pod(cpu: "5")), in: state, random: &random) else {
            Issue.record("no node has 5 cpus")
            return
        }
        #expect(second.message == "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 4 Insufficient cpu.")
    }
}

@Suite struct NodeSamplingTests {
    struct Case: Sendable, CustomStringConvertible {
        var nodes: Int
        var percentage: Int
        var expected: Int
        var description: String { "\(nodes) nodes at \(percentage)% → \(expected)" }
    }

    static let cases: [Case] = [
        .init(nodes: 50, percentage: 0, expected: 50),
        .init(nodes: 99, percentage: 0, expected: 99),
        .init(nodes: 100, percentage: 0, expected: 100),
        .init(nodes: 500, percentage: 0, expected: 230),
        .init(nodes: 1000, percentage: 0, expected: 420),
        .init(nodes: 5000, percentage: 0, expected: 500),
        .init(nodes: 10000, percentage: 0, expected: 500),
        .init(nodes: 1000, percentage: 5, expected: 100),
        .init(nodes: 1000, percentage: 100, expected: 1000),
    ]

    @Test(arguments: cases) func feasibleNodesToFind(_ c: Case) {
        #expect(NodeSampling.feasibleNodesToFind(allNodes: c.nodes, percentage: c.percentage) == c.expected)
    }

    @Test func aLargeClusterIsSampledFromARotatingStart() {
        let state = Fixtures.cluster(nodes: (0..<1000).map { Fixtures.node("n\($0)") })
        var random = SchedulingRandom(seed: 42)
        let stack = SchedulingStack()
        guard case .success(let first) = stack.schedule(PodInfo(json: Fixtures.pod("a", cpu: "1")), in: state, random: &random) else {
            Issue.record("the pod should fit")
            return
        }
        #expect(first.examined == 420)
        #expect(first.feasible == 420)
        #expect(state.nextStartIndex == 420)
        _ = stack.schedule(PodInfo(json: Fixtures.pod("b", cpu: "1")), in: state, random: &random)
        #expect(state.nextStartIndex == 840)
        _ = stack.schedule(PodInfo(json: Fixtures.pod("c", cpu: "1")), in: state, random: &random)
        #expect(state.nextStartIndex == 260)
    }

    /// Places a pod requesting 2 cpus on `big` nodes of 8 cpus and small ones of 1, in the
    /// order `isBig` gives; nil (and a recorded issue) when it fits nowhere.
    func placeOnBigNodes(count: Int, isBig: (Int) -> Bool) -> (placement: Placement, state: ClusterState)? {
        let nodes = (0..<count).map { isBig($0) ? Fixtures.node("big\($0)", cpu: "8") : Fixtures.node("small\($0)", cpu: "1") }
        let state = Fixtures.cluster(nodes: nodes)
        var random = SchedulingRandom(seed: 42)
        guard case .success(let placement) = SchedulingStack().schedule(PodInfo(json: Fixtures.pod(cpu: "2")), in: state, random: &random) else {
            Issue.record("the pod should fit a big node")
            return nil
        }
        #expect(placement.nodeName.hasPrefix("big"))
        return (placement, state)
    }

    @Test func infeasibleNodesDoNotCountTowardTheSample() throws {
        // 500 nodes: 46% → 230 wanted, but only 200 are feasible, so every node is examined.
        let (placement, _) = try #require(placeOnBigNodes(count: 500) { $0 >= 300 })
        #expect(placement.examined == 500)
        #expect(placement.feasible == 200)
    }

    @Test func theSampleEndsAtTheLastFeasibleNodeWanted() throws {
        // Small and big nodes alternate: the 420th feasible node is the 840th node, whatever
        // batches the nodes are judged in.
        let (alternating, state) = try #require(placeOnBigNodes(count: 1000) { $0 % 2 == 1 })
        #expect(alternating.examined == 840)
        #expect(alternating.feasible == 420)
        #expect(state.nextStartIndex == 840)
        // 412 big nodes, 8 small, 8 big, then small ones: the 420th feasible node is the 428th
        // node, also when the nodes after it are judged in the same batch.
        let (gap, _) = try #require(placeOnBigNodes(count: 1000) { $0 < 412 || (420..<428).contains($0) })
        #expect(gap.examined == 428)
        #expect(gap.feasible == 420)
    }
}

@Suite struct SchedulingStackTests {
    @Test func spreadAndBinpackProfilesChooseDifferently() throws {
        let nodes = [Fixtures.node("busy", cpu: "4", memory: "4Gi"), Fixtures.node("idle", cpu: "4", memory: "4Gi")]
        let load = [Fixtures.pod("load", cpu: "2", memory: "2Gi", nodeName: "busy")]
        var random = SchedulingRandom(seed: 42)
        let pod = PodInfo(json: Fixtures.pod(cpu: "1", memory: "1Gi"))
        let spread = SchedulingStack(profile: .spread).schedule(pod, in: Fixtures.cluster(nodes: nodes, pods: load), random: &random)
        let binpack = SchedulingStack(profile: .binpack).schedule(pod, in: Fixtures.cluster(nodes: nodes, pods: load), random: &random)
        #expect(try spread.get().nodeName == "idle")
        #expect(try binpack.get().nodeName == "busy")
    }

    @Test func assumedPodsSpreadConsecutiveDecisions() throws {
        let state = Fixtures.cluster(nodes: (1...3).map { Fixtures.node("n\($0)", cpu: "2") })
        var random = SchedulingRandom(seed: 42)
        var chosen: [String] = []
        for i in 0..<6 {
            let pod = PodInfo(json: Fixtures.pod("p\(i)", cpu: "1"))
            let placement = try SchedulingStack().schedule(pod, in: state, random: &random).get()
            state.assume(pod, on: placement.nodeName)
            chosen.append(placement.nodeName)
        }
        #expect(Dictionary(grouping: chosen, by: { $0 }).mapValues(\.count) == ["n1": 2, "n2": 2, "n3": 2])
        let seventh = SchedulingStack().schedule(PodInfo(json: Fixtures.pod("p7", cpu: "1")), in: state, random: &random)
        guard case .failure(let failure) = seventh else {
            Issue.record("the cluster is full")
            return
        }
        #expect(failure.message == "0/3 nodes are available: 3 Insufficient cpu.")
        #expect(failure.resolvableSlots.count == 3)
    }

    @Test func tiesBreakAtRandom() throws {
        var seen = Set<String>()
        var random = SchedulingRandom(seed: 7)
        for _ in 0..<40 {
            let state = Fixtures.cluster(nodes: (1...4).map { Fixtures.node("n\($0)") })
            seen.insert(try SchedulingStack().schedule(PodInfo(json: Fixtures.pod(cpu: "1")), in: state, random: &random).get().nodeName)
        }
        #expect(seen.count > 1)
    }

    @Test func aNominatedNodeIsTriedFirst() throws {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1"), Fixtures.node("n2"), Fixtures.node("n3")], pods: [Fixtures.pod("x", cpu: "3", nodeName: "n2")])
        var random = SchedulingRandom(seed: 42)
        let pod = PodInfo(json: Fixtures.pod(cpu: "1").merging(["status": ["phase": "Pending", "nominatedNodeName": "n2"]]))
        #expect(try SchedulingStack().schedule(pod, in: state, random: &random).get().nodeName == "n2")
    }

    @Test func unreadableConstraintsFailBeforeAnyNode() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1")])
        var random = SchedulingRandom(seed: 42)
        let pod = PodInfo(json: Fixtures.pod(annotations: [MarathonConstraint.annotation: "[oops"]))
        guard case .failure(let failure) = SchedulingStack().schedule(pod, in: state, random: &random) else {
            Issue.record("a pod with an unreadable annotation must not be placed")
            return
        }
        #expect(failure.message.hasPrefix("0/1 nodes are available: flotilla.io/constraints is not JSON"))
    }

    @Test func anEmptyClusterSaysSo() {
        var random = SchedulingRandom(seed: 42)
        guard case .failure(let failure) = SchedulingStack().schedule(PodInfo(json: Fixtures.pod()), in: ClusterState(), random: &random) else {
            Issue.record("nothing fits an empty cluster")
            return
        }
        #expect(failure.message == "no nodes available to schedule pods")
    }
}
