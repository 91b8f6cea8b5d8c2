import FlotillaCore
import Testing

@testable import FlotillaScheduler

/// Filters that depend on the other pods: inter-pod affinity, topology spread, Marathon constraints.
@Suite struct InterPodAffinityFilterTests {
    static let nodes = [
        Fixtures.node("n1", labels: ["zone": "a"]), Fixtures.node("n2", labels: ["zone": "a"]),
        Fixtures.node("n3", labels: ["zone": "b"]), Fixtures.node("n4"),
    ]
    static let cache = Fixtures.pod("cache-1", labels: ["app": "cache"], nodeName: "n1")

    static func term(_ app: String, _ key: String) -> JSON {
        ["labelSelector": ["matchLabels": ["app": .string(app)]], "topologyKey": .string(key)]
    }
    static func affinity(_ terms: [JSON]) -> JSON {
        ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": .array(terms)]]]
    }
    static func antiAffinity(_ terms: [JSON]) -> JSON {
        ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": .array(terms)]]]
    }
    static let affinityReason = "node(s) didn't match pod affinity rules"
    static let antiReason = "node(s) didn't match pod anti-affinity rules"
    static let existingReason = "node(s) didn't satisfy existing pods anti-affinity rules"

    static let cases: [FilterCase] = [
        .init(description: "affinity by zone: same zone", pod: Fixtures.pod(spec: affinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n2", reasons: []),
        .init(description: "affinity by zone: other zone", pod: Fixtures.pod(spec: affinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n3", reasons: [affinityReason], resolvable: false),
        .init(description: "affinity: node without the topology key", pod: Fixtures.pod(spec: affinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n4", reasons: [affinityReason], resolvable: false),
        .init(description: "affinity by hostname", pod: Fixtures.pod(spec: affinity([term("cache", "kubernetes.io/hostname")])), nodes: nodes, pods: [cache], node: "n2", reasons: [affinityReason], resolvable: false),
        .init(
            description: "affinity to its own kind with no such pod yet: the first may go anywhere",
            pod: Fixtures.pod(labels: ["app": "web"], spec: affinity([term("web", "zone")])), nodes: nodes, pods: [cache], node: "n3", reasons: []),
        .init(
            description: "affinity to another kind with no such pod: nowhere",
            pod: Fixtures.pod(labels: ["app": "web"], spec: affinity([term("db", "zone")])), nodes: nodes, pods: [cache], node: "n3", reasons: [affinityReason], resolvable: false),
        .init(description: "affinity only counts the pod's namespace", pod: Fixtures.pod(namespace: "other", spec: affinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n1", reasons: [affinityReason], resolvable: false),
        .init(
            description: "affinity with an empty namespaceSelector counts every namespace",
            pod: Fixtures.pod(namespace: "other", spec: affinity([term("cache", "zone").merging(["namespaceSelector": [:]])])),
            nodes: nodes, pods: [cache], node: "n2", reasons: []),
        .init(description: "anti-affinity by zone: same zone", pod: Fixtures.pod(spec: antiAffinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n2", reasons: [antiReason]),
        .init(description: "anti-affinity by zone: other zone", pod: Fixtures.pod(spec: antiAffinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n3", reasons: []),
        .init(description: "anti-affinity: a node without the key is fine", pod: Fixtures.pod(spec: antiAffinity([term("cache", "zone")])), nodes: nodes, pods: [cache], node: "n4", reasons: []),
        .init(
            description: "an existing pod's anti-affinity keeps the pod out of its domain",
            pod: Fixtures.pod(labels: ["app": "web"]), nodes: nodes,
            pods: [Fixtures.pod("loner", labels: ["app": "loner"], nodeName: "n1", spec: antiAffinity([term("web", "zone")]))],
            node: "n2", reasons: [existingReason]),
        .init(
            description: "an existing pod's anti-affinity does not reach other domains",
            pod: Fixtures.pod(labels: ["app": "web"]), nodes: nodes,
            pods: [Fixtures.pod("loner", labels: ["app": "loner"], nodeName: "n1", spec: antiAffinity([term("web", "zone")]))],
            node: "n3", reasons: []),
        .init(
            description: "an existing pod's anti-affinity for other labels does not apply",
            pod: Fixtures.pod(labels: ["app": "api"]), nodes: nodes,
            pods: [Fixtures.pod("loner", labels: ["app": "loner"], nodeName: "n1", spec: antiAffinity([term("web", "zone")]))],
            node: "n1", reasons: []),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(InterPodAffinityFilter()) }

    @Test func countsFollowPodsComingAndGoing() {
        let state = Fixtures.cluster(nodes: Self.nodes)
        let pod = Fixtures.pod(spec: Self.antiAffinity([Self.term("cache", "kubernetes.io/hostname")]))
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "n1", in: state).passed)
        state.upsertPod(PodInfo(json: Self.cache))
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "n1", in: state).reasons == [Self.antiReason])
        state.assume(PodInfo(json: Fixtures.pod("cache-2", labels: ["app": "cache"])), on: "n2")
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "n2", in: state).reasons == [Self.antiReason])
        state.removePod(key: "default/cache-1")
        #expect(Fixtures.judge(InterPodAffinityFilter(), pod, on: "n1", in: state).passed)
    }
}

@Suite struct PodTopologySpreadFilterTests {
    static let nodes = [
        Fixtures.node("a1", labels: ["zone": "a"]), Fixtures.node("a2", labels: ["zone": "a"]),
        Fixtures.node("b1", labels: ["zone": "b"]), Fixtures.node("nokey"),
    ]
    static func spread(_ key: String = "zone", maxSkew: Int64 = 1, extra: JSON = [:]) -> JSON {
        let constraint: JSON = [
            "maxSkew": .int(maxSkew), "topologyKey": .string(key), "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": ["matchLabels": ["app": "web"]],
        ]
        return ["topologySpreadConstraints": [constraint.merging(extra)]]
    }
    static func web(_ name: String, on node: String) -> JSON { Fixtures.pod(name, labels: ["app": "web"], nodeName: node) }
    static let reason = "node(s) didn't match pod topology spread constraints"
    static let missing = "node(s) didn't match pod topology spread constraints (missing required label)"
    static let pod = Fixtures.pod("new", labels: ["app": "web"], spec: spread())

    static let cases: [FilterCase] = [
        .init(description: "empty cluster: any zone", pod: pod, nodes: nodes, node: "a1", reasons: []),
        .init(description: "zone a has one more: b is fine", pod: pod, nodes: nodes, pods: [web("w1", on: "a1")], node: "b1", reasons: []),
        .init(description: "zone a has one more: a would skew 2", pod: pod, nodes: nodes, pods: [web("w1", on: "a1")], node: "a2", reasons: [reason]),
        .init(description: "maxSkew 2 allows it", pod: Fixtures.pod("new", labels: ["app": "web"], spec: spread(maxSkew: 2)), nodes: nodes, pods: [web("w1", on: "a1")], node: "a2", reasons: []),
        .init(description: "nodes without the key are filtered out", pod: pod, nodes: nodes, node: "nokey", reasons: [missing], resolvable: false),
        .init(description: "an empty topology key: every node lacks it", pod: Fixtures.pod("new", labels: ["app": "web"], spec: spread("")), nodes: nodes, node: "a1", reasons: [missing], resolvable: false),
        .init(
            description: "other labels do not count",
            pod: pod, nodes: nodes, pods: [Fixtures.pod("db", labels: ["app": "db"], nodeName: "a1"), Fixtures.pod("db2", labels: ["app": "db"], nodeName: "a2")],
            node: "a1", reasons: []),
        .init(
            description: "a pod not matching its own selector adds nothing",
            pod: Fixtures.pod("other", labels: ["app": "other"], spec: spread()), nodes: nodes, pods: [web("w1", on: "a1")], node: "a2", reasons: []),
        .init(
            description: "terminating pods are not counted",
            pod: pod, nodes: nodes,
            pods: [web("w1", on: "a1").merging(["metadata": ["name": "w1", "namespace": "default", "labels": ["app": "web"], "deletionTimestamp": "2026-01-01T00:00:00Z"]])],
            node: "a2", reasons: []),
        .init(
            description: "by hostname",
            pod: Fixtures.pod("new", labels: ["app": "web"], spec: spread("kubernetes.io/hostname")), nodes: nodes,
            pods: [web("w1", on: "a1")], node: "a1", reasons: [reason]),
        .init(
            description: "minDomains above the domain count makes the minimum 0",
            pod: Fixtures.pod("new", labels: ["app": "web"], spec: spread(extra: ["minDomains": 3])), nodes: nodes,
            pods: [web("w1", on: "a1"), web("w2", on: "b1")], node: "b1", reasons: [reason]),
        .init(
            description: "ScheduleAnyway constraints do not filter",
            pod: Fixtures.pod("new", labels: ["app": "web"], spec: spread(extra: ["whenUnsatisfiable": "ScheduleAnyway"])), nodes: nodes,
            pods: [web("w1", on: "a1")], node: "a2", reasons: []),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(PodTopologySpreadFilter()) }

    @Test func nodeAffinityLimitsTheDomainsConsidered() {
        // Only zone a is eligible for this pod, so zone b's zero does not pull the minimum down.
        let spec = Self.spread().merging(["nodeSelector": ["zone": "a"]])
        let state = Fixtures.cluster(nodes: Self.nodes, pods: [Self.web("w1", on: "a1")])
        let verdict = Fixtures.judge(PodTopologySpreadFilter(), Fixtures.pod("new", labels: ["app": "web"], spec: spec), on: "a2", in: state)
        #expect(verdict.passed)
    }

    @Test func nodeAffinityPolicyIgnoreConsidersEveryNodeWithTheKey() {
        // Zone b's zero counts again, so a second pod in zone a skews 2.
        let spec = Self.spread(extra: ["nodeAffinityPolicy": "Ignore"]).merging(["nodeSelector": ["zone": "a"]])
        let state = Fixtures.cluster(nodes: Self.nodes, pods: [Self.web("w1", on: "a1")])
        let verdict = Fixtures.judge(PodTopologySpreadFilter(), Fixtures.pod("new", labels: ["app": "web"], spec: spec), on: "a2", in: state)
        #expect(verdict.reasons == [Self.reason])
    }

    @Test(arguments: [("Honor", true), ("Ignore", false)])
    func nodeTaintsPolicyDecidesWhetherAnUntoleratedNodeCounts(policy: String, passes: Bool) {
        // Zone b's only node is tainted: honoured, zone b drops out and zone a is the emptiest.
        let taint: JSON = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]
        let nodes = [
            Fixtures.node("a1", labels: ["zone": "a"]), Fixtures.node("a2", labels: ["zone": "a"]),
            Fixtures.node("b1", labels: ["zone": "b"], taints: [taint]),
        ]
        let state = Fixtures.cluster(nodes: nodes, pods: [Self.web("w1", on: "a1")])
        let pod = Fixtures.pod("new", labels: ["app": "web"], spec: Self.spread(extra: ["nodeTaintsPolicy": .string(policy)]))
        let verdict = Fixtures.judge(PodTopologySpreadFilter(), pod, on: "a2", in: state)
        #expect(verdict.passed == passes)
    }
}

@Suite struct MarathonConstraintsFilterTests {
    static let nodes = [
        Fixtures.node("n1", labels: ["rack": "r1", "zone": "us-east", "os": "linux"]),
        Fixtures.node("n2", labels: ["rack": "r1", "zone": "us-west", "os": "linux"]),
        Fixtures.node("n3", labels: ["rack": "r2", "zone": "eu-west", "os": "windows"]),
        Fixtures.node("n4", labels: ["zone": "us-east"]),
    ]
    static func app(_ constraints: String, name: String = "new") -> JSON {
        Fixtures.pod(name, annotations: [MarathonConstraint.annotation: constraints], owner: "app-1")
    }
    static func running(_ name: String, on node: String) -> JSON { Fixtures.pod(name, nodeName: node, owner: "app-1") }

    static let cases: [FilterCase] = [
        .init(description: "UNIQUE hostname: empty node", pod: app(#"[["hostname","UNIQUE"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n2", reasons: []),
        .init(description: "UNIQUE hostname: taken node", pod: app(#"[["hostname","UNIQUE"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n1", reasons: ["node(s) didn't match Marathon constraint hostname:UNIQUE"]),
        .init(description: "UNIQUE counts only the group", pod: app(#"[["hostname","UNIQUE"]]"#), nodes: nodes, pods: [Fixtures.pod("stranger", nodeName: "n1", owner: "app-2")], node: "n1", reasons: []),
        .init(description: "UNIQUE rack", pod: app(#"[["rack","UNIQUE"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n2", reasons: ["node(s) didn't match Marathon constraint rack:UNIQUE"]),
        .init(description: "UNIQUE on a missing label", pod: app(#"[["rack","UNIQUE"]]"#), nodes: nodes, node: "n4", reasons: ["node(s) didn't match Marathon constraint rack:UNIQUE"]),
        .init(description: "CLUSTER value: match", pod: app(#"[["rack","CLUSTER","r1"]]"#), nodes: nodes, node: "n2", reasons: []),
        .init(description: "CLUSTER value: other value", pod: app(#"[["rack","CLUSTER","r1"]]"#), nodes: nodes, node: "n3", reasons: ["node(s) didn't match Marathon constraint rack:CLUSTER:r1"], resolvable: false),
        .init(description: "CLUSTER without value follows the group", pod: app(#"[["rack","CLUSTER"]]"#), nodes: nodes, pods: [running("a", on: "n3")], node: "n1", reasons: ["node(s) didn't match Marathon constraint rack:CLUSTER"]),
        .init(description: "CLUSTER without value, first pod", pod: app(#"[["rack","CLUSTER"]]"#), nodes: nodes, node: "n1", reasons: []),
        .init(description: "GROUP_BY: a new value is always fine", pod: app(#"[["rack","GROUP_BY","2"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n3", reasons: []),
        .init(description: "GROUP_BY 2: only one value in use, reuse refused", pod: app(#"[["rack","GROUP_BY","2"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n2", reasons: ["node(s) didn't match Marathon constraint rack:GROUP_BY:2"]),
        .init(description: "GROUP_BY: the least used value is fine", pod: app(#"[["rack","GROUP_BY","2"]]"#), nodes: nodes, pods: [running("a", on: "n1"), running("b", on: "n3"), running("c", on: "n3")], node: "n2", reasons: []),
        .init(description: "GROUP_BY: the most used value is refused", pod: app(#"[["rack","GROUP_BY","2"]]"#), nodes: nodes, pods: [running("a", on: "n1"), running("b", on: "n3"), running("c", on: "n3")], node: "n3", reasons: ["node(s) didn't match Marathon constraint rack:GROUP_BY:2"]),
        .init(description: "LIKE matches the whole value", pod: app(#"[["zone","LIKE","us-.*"]]"#), nodes: nodes, node: "n2", reasons: []),
        .init(description: "LIKE: no match", pod: app(#"[["zone","LIKE","us-.*"]]"#), nodes: nodes, node: "n3", reasons: ["node(s) didn't match Marathon constraint zone:LIKE:us-.*"], resolvable: false),
        .init(description: "LIKE is anchored", pod: app(#"[["zone","LIKE","east"]]"#), nodes: nodes, node: "n1", reasons: ["node(s) didn't match Marathon constraint zone:LIKE:east"], resolvable: false),
        .init(description: "UNLIKE: no match passes", pod: app(#"[["os","UNLIKE","win.*"]]"#), nodes: nodes, node: "n1", reasons: []),
        .init(description: "UNLIKE: match fails", pod: app(#"[["os","UNLIKE","win.*"]]"#), nodes: nodes, node: "n3", reasons: ["node(s) didn't match Marathon constraint os:UNLIKE:win.*"], resolvable: false),
        .init(description: "UNLIKE on a missing label passes", pod: app(#"[["os","UNLIKE","win.*"]]"#), nodes: nodes, node: "n4", reasons: []),
        .init(description: "MAX_PER below the limit", pod: app(#"[["hostname","MAX_PER","2"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n1", reasons: []),
        .init(description: "MAX_PER at the limit", pod: app(#"[["hostname","MAX_PER","2"]]"#), nodes: nodes, pods: [running("a", on: "n1"), running("b", on: "n1")], node: "n1", reasons: ["node(s) didn't match Marathon constraint hostname:MAX_PER:2"]),
        .init(description: "IS", pod: app(#"[["os","IS","linux"]]"#), nodes: nodes, node: "n3", reasons: ["node(s) didn't match Marathon constraint os:IS:linux"], resolvable: false),
        .init(
            description: "constraints combine",
            pod: app(#"[["hostname","UNIQUE"],["zone","LIKE","us-.*"]]"#), nodes: nodes, pods: [running("a", on: "n1")], node: "n3",
            reasons: ["node(s) didn't match Marathon constraint zone:LIKE:us-.*"], resolvable: false),
        .init(
            description: "bare pods group by namespace and labels",
            pod: Fixtures.pod("new", labels: ["app": "x"], annotations: [MarathonConstraint.annotation: #"[["hostname","UNIQUE"]]"#]),
            nodes: nodes, pods: [Fixtures.pod("old", labels: ["app": "x"], nodeName: "n1")], node: "n1",
            reasons: ["node(s) didn't match Marathon constraint hostname:UNIQUE"]),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(MarathonConstraintsFilter()) }

    @Test func badAnnotationsAreReported() {
        #expect(throws: FlotillaError.self) { try MarathonConstraint.parse("not json") }
        #expect(throws: FlotillaError.self) { try MarathonConstraint.parse(#"[["rack","NEAR","1"]]"#) }
        #expect(throws: FlotillaError.self) { try MarathonConstraint.parse(#"[["rack","MAX_PER"]]"#) }
        #expect(throws: FlotillaError.self) { try MarathonConstraint.parse(#"[["zone","LIKE","("]]"#) }
        let parsed = try? MarathonConstraint.parse(#"[["hostname","UNIQUE"],["rack","GROUP_BY","3"],["zone","LIKE","us-.*"],["hostname","MAX_PER","2"],["rack","CLUSTER","r1"],["os","UNLIKE","win.*"]]"#)
        #expect(parsed?.map(\.description) == ["hostname:UNIQUE", "rack:GROUP_BY:3", "zone:LIKE:us-.*", "hostname:MAX_PER:2", "rack:CLUSTER:r1", "os:UNLIKE:win.*"])
        let pod = PodInfo(json: Self.app("[[1,2]]"))
        #expect(pod.constraintsError != nil)
    }
}
