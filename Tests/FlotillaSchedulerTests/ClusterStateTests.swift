import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct ClusterStateTests {
    @Test func nodesComeAndGoWhilePodsKeepTheirAccounting() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("a"), Fixtures.node("b")], pods: [Fixtures.pod("p", cpu: "1", nodeName: "a")])
        #expect(state.candidates.map(\.name).sorted() == ["a", "b"])
        state.removeNode(named: "a")
        #expect(state.candidates.map(\.name) == ["b"])
        // The pod still names the gone node: its slot stays until the pod goes.
        let ghost = state.node(named: "a")
        #expect(ghost?.node == nil)
        #expect(ghost?.requested.milliCPU == 1000)
        state.removePod(key: "default/p")
        #expect(state.node(named: "a") == nil)
        // The freed slot is reused by the next node.
        state.upsertNode(NodeView(json: Fixtures.node("c")))
        #expect(state.node(named: "c")?.slot == ghost?.slot)
    }

    @Test func onlySchedulingRelevantNodeChangesCount() {
        let state = ClusterState()
        #expect(state.upsertNode(NodeView(json: Fixtures.node("a"))))
        #expect(!state.upsertNode(NodeView(json: Fixtures.node("a"))))
        #expect(state.upsertNode(NodeView(json: Fixtures.node("a", labels: ["zone": "z"]))))
        #expect(state.upsertNode(NodeView(json: Fixtures.node("a", labels: ["zone": "z"], unschedulable: true))))
        #expect(state.domains(for: "zone").names == ["z"])
    }

    @Test func cordonsAndSchedulingTaintsAreCountedAsNodesChange() {
        let state = ClusterState()
        let noSchedule = Fixtures.taint("dedicated", "gpu")
        let preferNot: JSON = ["key": "spot", "value": "yes", "effect": "PreferNoSchedule"]
        state.upsertNode(NodeView(json: Fixtures.node("a", taints: [noSchedule])))
        state.upsertNode(NodeView(json: Fixtures.node("b", taints: [preferNot], unschedulable: true)))
        // A PreferNoSchedule taint does not keep pods off a node.
        #expect(state.nodesTaintedAgainstScheduling == 1)
        #expect(state.cordonedNodes == 1)
        state.upsertNode(NodeView(json: Fixtures.node("a")))
        state.upsertNode(NodeView(json: Fixtures.node("b", taints: [noSchedule], unschedulable: true)))
        #expect(state.nodesTaintedAgainstScheduling == 1)
        #expect(state.cordonedNodes == 1)
        state.removeNode(named: "b")
        #expect(state.nodesTaintedAgainstScheduling == 0)
        #expect(state.cordonedNodes == 0)
        state.removeNode(named: "b")
        #expect(state.cordonedNodes == 0)
    }

    @Test func assumptionsAreConfirmedOrForgotten() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("a")])
        let pod = PodInfo(json: Fixtures.pod("p", cpu: "1"))
        state.assume(pod, on: "a")
        #expect(state.isAssumed(key: "default/p"))
        // A pending copy of the pod (a status update) does not drop the assumption.
        state.upsertPod(PodInfo(json: Fixtures.pod("p", cpu: "1")))
        #expect(state.isAssumed(key: "default/p"))
        // The informer reports it bound: confirmed, counted once.
        state.upsertPod(PodInfo(json: Fixtures.pod("p", cpu: "1", nodeName: "a")))
        #expect(!state.isAssumed(key: "default/p"))
        #expect(state.node(named: "a")?.requested.milliCPU == 1000)
        // Forgetting a confirmed pod does nothing.
        state.forget(pod)
        #expect(state.node(named: "a")?.podCount == 1)
    }

    @Test func progressReplacesTheCountedPodWithoutRecountingIt() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("a"), Fixtures.node("b")])
        let pending = PodInfo(json: Fixtures.pod("p", cpu: "1", owner: "rs"))
        state.assume(pending, on: "a")
        let slotB = state.node(named: "b")!.slot
        state.nominate(pending, on: "b")
        #expect(state.nominatedLoad(onSlot: slotB, priorityAtLeast: 0, excluding: "") != nil)
        // The binding reported: the assumption is confirmed, the pod now names its node.
        var bound = Fixtures.pod("p", cpu: "1", nodeName: "a", owner: "rs")
        #expect(state.progress(pending.progressed(to: bound)))
        #expect(!state.isAssumed(key: "default/p"))
        #expect(state.nominatedLoad(onSlot: slotB, priorityAtLeast: 0, excluding: "") == nil)
        #expect(state.pods["default/p"]?.pod.nodeName == "a")
        #expect(state.node(named: "a")?.requested.milliCPU == 1000)
        #expect(state.node(named: "a")?.pods["default/p"]?.nodeName == "a")
        #expect(state.ownerCounts[.controller(uid: "rs")]?[state.node(named: "a")!.slot] == 1)
        // Running: phase and start time follow; the requests still count once.
        bound["status"] = ["phase": "Running", "startTime": "2026-01-01T00:00:05Z"]
        let running = state.pods["default/p"]!.pod.progressed(to: bound)
        #expect(running.phase == "Running" && running.startTime == "2026-01-01T00:00:05Z")
        #expect(running.requests.amounts == pending.requests.amounts)
        #expect(state.progress(running))
        #expect(state.node(named: "a")?.requested.milliCPU == 1000)
        // A report of another node, or of another pod of the same name, is no progress.
        #expect(!state.progress(pending.progressed(to: Fixtures.pod("p", cpu: "1", nodeName: "b"))))
        var other = bound
        other["metadata"]["uid"] = "another"
        #expect(!state.progress(PodInfo(json: other).progressed(to: other)))
        #expect(state.node(named: "a")?.podCount == 1)
        // Finished: its resources are free again.
        bound["status"] = ["phase": "Succeeded"]
        #expect(state.progress(running.progressed(to: bound)))
        #expect(state.pods["default/p"] == nil)
        #expect(state.node(named: "a")?.requested.milliCPU ?? 0 == 0)
        #expect(state.ownerCounts[.controller(uid: "rs")] == nil)
    }

    @Test func namespaceSelectorsFollowNamespaceLabels() {
        let state = Fixtures.cluster(
            nodes: [Fixtures.node("a")],
            pods: [Fixtures.pod("cache", namespace: "team-1", labels: ["app": "cache"], nodeName: "a")])
        let spec: JSON = ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [[
            "labelSelector": ["matchLabels": ["app": "cache"]], "topologyKey": "kubernetes.io/hostname",
            "namespaceSelector": ["matchLabels": ["env": "prod"]],
        ]]]]]
        let pod = Fixtures.pod("new", spec: spec)
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "a", in: state).passed)
        state.setNamespace("team-1", labels: ["env": "prod"])
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "a", in: state).reasons == [InterPodAffinityFilter.antiAffinityReason])
        state.setNamespace("team-1", labels: ["env": "dev"])
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "a", in: state).passed)
    }

    @Test func ownerGroupsAreCountedPerNode() {
        let state = Fixtures.cluster(
            nodes: [Fixtures.node("a"), Fixtures.node("b")],
            pods: [Fixtures.pod("x", nodeName: "a", owner: "rs"), Fixtures.pod("y", nodeName: "a", owner: "rs"), Fixtures.pod("z", nodeName: "b", owner: "rs")])
        let counts = state.ownerCounts[.controller(uid: "rs")] ?? [:]
        #expect(counts[state.node(named: "a")!.slot] == 2)
        #expect(counts[state.node(named: "b")!.slot] == 1)
        state.removePod(key: "default/z")
        #expect(state.ownerCounts[.controller(uid: "rs")]?[state.node(named: "b")!.slot] == nil)
    }
}
