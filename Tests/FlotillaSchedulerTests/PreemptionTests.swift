import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct PreemptionTests {
    /// Schedules `pod`, expects it to fit nowhere, and returns the preemption plan.
    func plan(for pod: JSON, nodes: [JSON], pods: [JSON], budgets: [DisruptionBudget] = []) -> PreemptionPlan? {
        let state = Fixtures.cluster(nodes: nodes, pods: pods)
        let info = PodInfo(json: pod)
        var random = SchedulingRandom(seed: 42)
        let stack = SchedulingStack()
        guard case .failure(let failure) = stack.schedule(info, in: state, random: &random) else {
            Issue.record("the pod should not fit before preemption")
            return nil
        }
        return stack.preempt(info, failure: failure, in: state, budgets: budgets, random: &random)
    }

    @Test func evictsTheFewestLowestPriorityPods() {
        let nodes = [Fixtures.node("n1", cpu: "4"), Fixtures.node("n2", cpu: "4")]
        let pods = [
            // n1: one big pod of priority 10 would do.
            Fixtures.pod("n1-big", cpu: "3", nodeName: "n1", priority: 10),
            Fixtures.pod("n1-small", cpu: "1", nodeName: "n1", priority: 5),
            // n2: two pods of priority 1 must both go.
            Fixtures.pod("n2-a", cpu: "2", nodeName: "n2", priority: 1),
            Fixtures.pod("n2-b", cpu: "2", nodeName: "n2", priority: 1),
        ]
        let result = plan(for: Fixtures.pod("vip", cpu: "3", priority: 100), nodes: nodes, pods: pods)
        // The lowest highest-victim priority wins: n2's victims top out at 1, n1's at 10.
        #expect(result?.nodeName == "n2")
        #expect(result?.victims.map(\.name).sorted() == ["n2-a", "n2-b"])
    }

    @Test func keepsWhatItCanGiveBack() {
        let nodes = [Fixtures.node("n1", cpu: "4")]
        let pods = [
            Fixtures.pod("a", cpu: "1", nodeName: "n1", priority: 1), Fixtures.pod("b", cpu: "1", nodeName: "n1", priority: 2),
            Fixtures.pod("c", cpu: "1", nodeName: "n1", priority: 3), Fixtures.pod("d", cpu: "1", nodeName: "n1", priority: 4),
        ]
        let result = plan(for: Fixtures.pod("vip", cpu: "2", priority: 100), nodes: nodes, pods: pods)
        // The most important pods are given back first; the two least important go.
        #expect(result?.victims.map(\.name).sorted() == ["a", "b"])
    }

    @Test func neverPreemptsEqualOrHigherPriority() {
        let nodes = [Fixtures.node("n1", cpu: "2")]
        let pods = [Fixtures.pod("peer", cpu: "2", nodeName: "n1", priority: 100)]
        #expect(plan(for: Fixtures.pod("vip", cpu: "1", priority: 100), nodes: nodes, pods: pods) == nil)
    }

    @Test func preemptionPolicyNeverWaits() {
        let nodes = [Fixtures.node("n1", cpu: "2")]
        let pods = [Fixtures.pod("low", cpu: "2", nodeName: "n1", priority: 1)]
        #expect(plan(for: Fixtures.pod("vip", cpu: "1", priority: 100, spec: ["preemptionPolicy": "Never"]), nodes: nodes, pods: pods) == nil)
    }

    @Test func evictionCannotFixATaint() {
        let nodes = [Fixtures.node("n1", cpu: "2", taints: [Fixtures.taint("dedicated", "gpu")])]
        let pods = [Fixtures.pod("low", cpu: "2", nodeName: "n1", priority: 1)]
        #expect(plan(for: Fixtures.pod("vip", cpu: "1", priority: 100), nodes: nodes, pods: pods) == nil)
    }

    @Test func prefersNodesWithoutBudgetViolations() {
        let nodes = [Fixtures.node("n1", cpu: "2"), Fixtures.node("n2", cpu: "2")]
        let pods = [
            Fixtures.pod("guarded", labels: ["app": "db"], cpu: "2", nodeName: "n1", priority: 1),
            Fixtures.pod("free", labels: ["app": "batch"], cpu: "2", nodeName: "n2", priority: 5),
        ]
        let budget = DisruptionBudget(
            namespace: "default", name: "db", selector: .init([try! .init(key: "app", op: .equals, values: ["db"])]), disruptionsAllowed: 0)
        let result = plan(for: Fixtures.pod("vip", cpu: "2", priority: 100), nodes: nodes, pods: pods, budgets: [budget])
        #expect(result?.nodeName == "n2")
        #expect(result?.budgetViolations == 0)
        // Without the budget, the lower-priority victim on n1 is preferred.
        #expect(plan(for: Fixtures.pod("vip", cpu: "2", priority: 100), nodes: nodes, pods: pods)?.nodeName == "n1")
    }

    @Test func antiAffinityVictims() {
        let nodes = [Fixtures.node("n1", cpu: "8")]
        let pods = [Fixtures.pod("rival", labels: ["app": "rival"], nodeName: "n1", priority: 1)]
        let spec: JSON = ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "rival"]], "topologyKey": "kubernetes.io/hostname"],
        ]]]]
        let result = plan(for: Fixtures.pod("vip", priority: 100, spec: spec), nodes: nodes, pods: pods)
        #expect(result?.victims.map(\.name) == ["rival"])
    }

    @Test func waitsWhileItsVictimsTerminate() {
        let nodes = [Fixtures.node("n1", cpu: "2")]
        var terminating = Fixtures.pod("going", cpu: "2", nodeName: "n1", priority: 1)
        terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        let pod = Fixtures.pod("vip", cpu: "2", priority: 100).merging(["status": ["phase": "Pending", "nominatedNodeName": "n1"]])
        #expect(plan(for: pod, nodes: nodes, pods: [terminating]) == nil)
    }
}

extension PreemptionPlan: Equatable {
    public static func == (a: PreemptionPlan, b: PreemptionPlan) -> Bool {
        a.nodeName == b.nodeName && a.victims.map(\.key) == b.victims.map(\.key) && a.budgetViolations == b.budgetViolations
    }
}
