import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct ScoreTests {
    /// Raw and normalised scores of one plugin over the named nodes.
    static func scores(
        _ plugin: some ScorePlugin, pod: JSON, nodes: [JSON], pods: [JSON] = [], order: [String]
    ) -> (raw: [Int64], normalized: [Int64]) {
        let state = Fixtures.cluster(nodes: nodes, pods: pods)
        let cycle = CycleState(pod: PodInfo(json: pod), state: state)
        let infos = order.map { state.node(named: $0)! }
        let raw = infos.map { plugin.score(cycle, $0) }
        // The batch the scheduling cycle calls gives the same raw scores in the same order.
        #expect(plugin.scores(cycle, infos) == raw)
        var normalized = raw
        plugin.normalize(&normalized, cycle, infos)
        return (raw, normalized)
    }

    struct AllocationCase: Sendable, CustomStringConvertible {
        var description: String
        var strategy: ScoringStrategy
        var pod: JSON
        var expected: [Int64]
    }

    static let allocationNodes = [Fixtures.node("empty", cpu: "4", memory: "4Gi"), Fixtures.node("half", cpu: "4", memory: "4Gi")]
    static let allocationPods = [Fixtures.pod("load", cpu: "2", memory: "2Gi", nodeName: "half")]

    static let allocationCases: [AllocationCase] = [
        // (4000 - 1000) * 100 / 4000 = 75 for cpu and memory; the half-full node: (4000 - 3000) / 4000 = 25.
        .init(description: "least allocated prefers the empty node", strategy: .leastAllocated, pod: Fixtures.pod(cpu: "1", memory: "1Gi"), expected: [75, 25]),
        .init(description: "most allocated prefers the fuller node", strategy: .mostAllocated, pod: Fixtures.pod(cpu: "1", memory: "1Gi"), expected: [25, 75]),
        // No requests count as 100m and 200Mi: cpu (4000-100)/4000 → 97, memory (4096-200)/4096 → 95; average 96.
        .init(description: "zero requests score with the defaults", strategy: .leastAllocated, pod: Fixtures.pod(), expected: [96, 46]),
    ]

    @Test(arguments: allocationCases) func resourceAllocation(_ c: AllocationCase) {
        let result = Self.scores(
            ResourceAllocationScore(strategy: c.strategy), pod: c.pod, nodes: Self.allocationNodes, pods: Self.allocationPods,
            order: ["empty", "half"])
        #expect(result.normalized == c.expected)
    }

    @Test func overcommittedNodesScoreZeroWhenSpreading() {
        let score = ResourceAllocationScore(strategy: .leastAllocated)
        #expect(score.resourceScore(requested: 5000, capacity: 4000) == 0)
        #expect(ResourceAllocationScore(strategy: .mostAllocated).resourceScore(requested: 5000, capacity: 4000) == 100)
        #expect(score.resourceScore(requested: 1, capacity: 0) == nil)
    }

    @Test func balancedAllocationPrefersEvenUse() {
        let nodes = [Fixtures.node("cpu-heavy", cpu: "4", memory: "4Gi"), Fixtures.node("even", cpu: "4", memory: "4Gi")]
        let pods = [Fixtures.pod("hog", cpu: "3", nodeName: "cpu-heavy"), Fixtures.pod("mix", cpu: "1", memory: "1Gi", nodeName: "even")]
        let result = Self.scores(BalancedAllocationScore(), pod: Fixtures.pod(cpu: "1", memory: "1Gi"), nodes: nodes, pods: pods, order: ["cpu-heavy", "even"])
        // cpu-heavy: cpu 4/4 = 1, memory 1/4: deviation 0.375 → 62; even: 2/4 and 2/4 → 100.
        #expect(result.normalized == [62, 100])
    }

    @Test func preferredNodeAffinityAddsWeights() {
        let spec: JSON = ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 80, "preference": ["matchExpressions": [["key": "disktype", "operator": "In", "values": ["ssd"]]]]],
            ["weight": 20, "preference": ["matchExpressions": [["key": "zone", "operator": "In", "values": ["a"]]]]],
        ]]]]
        let nodes = [
            Fixtures.node("both", labels: ["disktype": "ssd", "zone": "a"]), Fixtures.node("ssd", labels: ["disktype": "ssd"]),
            Fixtures.node("none"),
        ]
        let result = Self.scores(NodeAffinityScore(), pod: Fixtures.pod(spec: spec), nodes: nodes, order: ["both", "ssd", "none"])
        #expect(result.raw == [100, 80, 0])
        #expect(result.normalized == [100, 80, 0])
        #expect(!NodeAffinityScore().applies(to: CycleState(pod: PodInfo(json: Fixtures.pod()), state: ClusterState())))
    }

    @Test func preferNoScheduleTaintsAreAvoided() {
        let soft = Fixtures.taint("spot", "true", effect: "PreferNoSchedule")
        let nodes = [
            Fixtures.node("clean"), Fixtures.node("one", taints: [soft]),
            Fixtures.node("two", taints: [soft, Fixtures.taint("old", effect: "PreferNoSchedule")]),
        ]
        let result = Self.scores(TaintTolerationScore(), pod: Fixtures.pod(), nodes: nodes, order: ["clean", "one", "two"])
        #expect(result.raw == [0, 1, 2])
        #expect(result.normalized == [100, 50, 0])
        let tolerant = Fixtures.pod(spec: ["tolerations": [["key": "spot", "operator": "Exists", "effect": "PreferNoSchedule"]]])
        #expect(Self.scores(TaintTolerationScore(), pod: tolerant, nodes: nodes, order: ["clean", "one", "two"]).raw == [0, 0, 1])
        // No taints anywhere: every node gets the full score.
        #expect(Self.scores(TaintTolerationScore(), pod: Fixtures.pod(), nodes: [Fixtures.node("x"), Fixtures.node("y")], order: ["x", "y"]).normalized == [100, 100])
    }

    @Test func preferredPodAffinityAndAntiAffinity() {
        let nodes = [Fixtures.node("n1", labels: ["zone": "a"]), Fixtures.node("n2", labels: ["zone": "b"]), Fixtures.node("n3", labels: ["zone": "c"])]
        let pods = [
            Fixtures.pod("c1", labels: ["app": "cache"], nodeName: "n1"), Fixtures.pod("c2", labels: ["app": "cache"], nodeName: "n1"),
            Fixtures.pod("d1", labels: ["app": "db"], nodeName: "n2"),
        ]
        func term(_ app: String, _ weight: Int64) -> JSON {
            ["weight": .int(weight), "podAffinityTerm": ["labelSelector": ["matchLabels": ["app": .string(app)]], "topologyKey": "zone"]]
        }
        let spec: JSON = ["affinity": [
            "podAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [term("cache", 10)]],
            "podAntiAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [term("db", 50)]],
        ]]
        let result = Self.scores(InterPodAffinityScore(), pod: Fixtures.pod(spec: spec), nodes: nodes, pods: pods, order: ["n1", "n2", "n3"])
        #expect(result.raw == [20, -50, 0])
        // (s - min) / (max - min): n1 100, n2 0, n3 50 / 70 → 71.
        #expect(result.normalized == [100, 0, 71])
    }

    @Test func existingPodsPreferredAffinityTowardThePodCounts() {
        let nodes = [Fixtures.node("n1"), Fixtures.node("n2")]
        let friendly: JSON = ["affinity": ["podAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 30, "podAffinityTerm": ["labelSelector": ["matchLabels": ["app": "web"]], "topologyKey": "kubernetes.io/hostname"]],
        ]]]]
        let pods = [Fixtures.pod("friend", labels: ["app": "sidecar"], nodeName: "n2", spec: friendly)]
        let result = Self.scores(InterPodAffinityScore(), pod: Fixtures.pod(labels: ["app": "web"]), nodes: nodes, pods: pods, order: ["n1", "n2"])
        #expect(result.raw == [0, 30])
        #expect(result.normalized == [0, 100])
    }

    @Test func scheduleAnywaySpreadPrefersEmptierDomains() {
        let nodes = [
            Fixtures.node("a1", labels: ["zone": "a"]), Fixtures.node("b1", labels: ["zone": "b"]), Fixtures.node("nokey"),
        ]
        let pods = [Fixtures.pod("w1", labels: ["app": "web"], nodeName: "a1"), Fixtures.pod("w2", labels: ["app": "web"], nodeName: "a1")]
        let spec: JSON = ["topologySpreadConstraints": [
            ["maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": ["matchLabels": ["app": "web"]]],
        ]]
        let result = Self.scores(TopologySpreadScore(), pod: Fixtures.pod(labels: ["app": "web"], spec: spec), nodes: nodes, pods: pods, order: ["a1", "b1", "nokey"])
        // a1: 2 × log(2 + 2) = 2.77 → 3; b1: 0; the node without the key is ignored.
        #expect(result.raw == [3, 0, TopologySpreadScore.ignored])
        #expect(result.normalized == [0, 100, 0])
    }

    @Test func normalizeToMaxAsKubernetes() {
        var scores: [Int64] = [0, 5, 10]
        normalizeToMax(&scores, reverse: false)
        #expect(scores == [0, 50, 100])
        var reversed: [Int64] = [0, 5, 10]
        normalizeToMax(&reversed, reverse: true)
        #expect(reversed == [100, 50, 0])
        var zeros: [Int64] = [0, 0]
        normalizeToMax(&zeros, reverse: true)
        #expect(zeros == [100, 100])
    }
}
