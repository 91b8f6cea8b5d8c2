import FlotillaCore
import Foundation
import Testing

@testable import FlotillaScheduler

@Suite struct ExplanationTests {
    static let nodes = [
        Fixtures.node("big", cpu: "4", labels: ["disktype": "hdd"]),
        Fixtures.node("busy", cpu: "4", labels: ["disktype": "ssd"]),
        Fixtures.node("gpu", cpu: "8", labels: ["disktype": "ssd"], taints: [Fixtures.taint("dedicated", "gpu")]),
    ]
    static let load = [Fixtures.pod("load", cpu: "3500m", nodeName: "busy")]

    @Test func pendingPodEveryRuleOnEveryNode() {
        let state = Fixtures.cluster(nodes: Self.nodes, pods: Self.load)
        let pod = PodInfo(json: Fixtures.pod("web", cpu: "2", spec: ["nodeSelector": ["disktype": "ssd"]]))
        let explanation = SchedulingStack().explain(pod, in: state)
        #expect(explanation.nodeName == nil)
        #expect(explanation.requests == ["cpu": "2"])
        #expect(explanation.rules == ["NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodeResourcesFit"])
        #expect(explanation.message == "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.")
        #expect(explanation.nodes.map(\.node) == ["big", "busy", "gpu"])
        #expect(explanation.nodes.allSatisfy { !$0.feasible && $0.verdicts.count == 4 })

        let busy = explanation.nodes[1].verdicts.first { $0.rule == "NodeResourcesFit" }
        #expect(busy?.passed == false)
        #expect(busy?.detail == "cpu: requested 2, free 0.5 of 4")
        // Every rule is judged, not only the first failing one: the gpu node has room.
        let gpu = explanation.nodes[2].verdicts
        #expect(gpu.first { $0.rule == "TaintToleration" }?.passed == false)
        #expect(gpu.first { $0.rule == "NodeResourcesFit" }?.passed == true)

        // Smallest first: lowering cpu by three quarters, then one toleration, then the selector.
        #expect(explanation.suggestions == [
            "to fit on busy: lower cpu request to ≤ 0.5",
            "to fit on gpu: add toleration dedicated=gpu:NoSchedule",
            "to fit on big: remove node selector disktype=ssd or label big disktype=ssd",
        ])
        #expect(explanation.bestScores.isEmpty)
    }

    @Test func feasibleNodesAreScored() {
        let state = Fixtures.cluster(nodes: Self.nodes, pods: Self.load)
        let explanation = SchedulingStack().explain(PodInfo(json: Fixtures.pod("small", cpu: "100m")), in: state)
        // big: LeastAllocated 97 + BalancedAllocation 98 + 3 × TaintToleration 100.
        #expect(explanation.message == "2/3 nodes fit; the best is big (score 495)")
        #expect(explanation.bestScores.map(\.node) == ["big", "busy"])
        #expect(explanation.bestScores[0].scores["NodeResourcesFit(LeastAllocated)"] == 97)
        #expect(explanation.nodes.first { $0.node == "gpu" }?.feasible == false)
        #expect(explanation.suggestions.isEmpty)
    }

    @Test func placedPodComparesItsNode() {
        let state = Fixtures.cluster(nodes: Self.nodes, pods: Self.load)
        let explanation = SchedulingStack().explain(PodInfo(json: Fixtures.pod("small", cpu: "100m")), in: state, placedOn: "busy")
        #expect(explanation.nodeName == "busy")
        #expect(explanation.message == "placed on busy, which ranks 2 of the 2 of 3 nodes that fit now (score 407; best big, 495)")
    }

    @Test func tableShowsFailingRulesAsColumns() {
        let state = Fixtures.cluster(nodes: Self.nodes, pods: Self.load)
        let pod = PodInfo(json: Fixtures.pod("web", cpu: "2", spec: ["nodeSelector": ["disktype": "ssd"]]))
        let text = SchedulingStack().explain(pod, in: state).rendered()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Pod default/web (scheduler default-scheduler, LeastAllocated): pending")
        #expect(lines[1] == "Requests: cpu 2")
        let header = lines.first { $0.hasPrefix("NODE") }
        #expect(header?.split(separator: " ", omittingEmptySubsequences: true) == ["NODE", "FITS", "SCORE", "TaintToleration", "NodeAffinity", "NodeResourcesFit"])
        #expect(lines.contains { $0.hasPrefix("busy") && $0.contains("cpu: requested 2, free 0.5 of 4") })
        #expect(lines.contains("Passed on every node: NodeUnschedulable"))
        #expect(lines.contains("  - to fit on busy: lower cpu request to ≤ 0.5"))
    }

    @Test func roundTripsAsJSON() throws {
        let state = Fixtures.cluster(nodes: Self.nodes, pods: Self.load)
        let explanation = SchedulingStack().explain(PodInfo(json: Fixtures.pod("small", cpu: "100m")), in: state)
        let data = try JSONEncoder().encode(explanation)
        let decoded = try JSONDecoder().decode(PodExplanation.self, from: data)
        #expect(decoded == explanation)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["kind"] as? String == "PodExplanation")
        #expect(object?["apiVersion"] as? String == "flotilla.io/v1")
    }

    @Test func explainPathsAreRecognised() {
        let matched = ExplainRoute.match("/apis/flotilla.io/v1/namespaces/default/pods/web-1/explain")
        #expect(matched?.namespace == "default")
        #expect(matched?.name == "web-1")
        #expect(ExplainRoute.match("/apis/flotilla.io/v1/namespaces/default/pods/web-1") == nil)
        #expect(ExplainRoute.match("/api/v1/namespaces/default/pods/web-1/explain") == nil)
        #expect(ExplainRoute.path(namespace: "ns", name: "p") == "/apis/flotilla.io/v1/namespaces/ns/pods/p/explain")
    }
}
