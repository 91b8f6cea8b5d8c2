import FlotillaCore
import Testing

@testable import FlotillaScheduler

/// One row of a filter table: a pod, the cluster, the node judged, and the expected reasons
/// (empty: the node passes).
struct FilterCase: Sendable, CustomStringConvertible {
    var description: String
    var pod: JSON
    var nodes: [JSON]
    var pods: [JSON] = []
    var node: String = "n1"
    var reasons: [String]
    var resolvable: Bool = true

    func run(_ filter: some FilterPlugin) {
        let state = Fixtures.cluster(nodes: nodes, pods: pods)
        let verdict = Fixtures.judge(filter, pod, on: node, in: state)
        #expect(verdict.reasons == reasons, "\(description)")
        #expect(verdict.passed == reasons.isEmpty, "\(description)")
        if !reasons.isEmpty {
            #expect(verdict.outcome == (resolvable ? .unschedulable : .unresolvable), "\(description)")
        }
        // The explained verdict agrees, and a failure says what would fix it.
        let explained = Fixtures.judge(filter, pod, on: node, in: state, explain: true)
        #expect(explained.reasons == reasons, "\(description)")
        if !reasons.isEmpty {
            #expect(!explained.detail.isEmpty, "\(description)")
            #expect(explained.fix != nil, "\(description)")
        }
    }
}

@Suite struct NodeUnschedulableFilterTests {
    static let cases: [FilterCase] = [
        .init(description: "schedulable node", pod: Fixtures.pod(), nodes: [Fixtures.node("n1")], reasons: []),
        .init(description: "cordoned node", pod: Fixtures.pod(), nodes: [Fixtures.node("n1", unschedulable: true)], reasons: ["node(s) were unschedulable"], resolvable: false),
        .init(
            description: "cordoned node, pod tolerates node.kubernetes.io/unschedulable",
            pod: Fixtures.pod(spec: ["tolerations": [["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]]]),
            nodes: [Fixtures.node("n1", unschedulable: true)], reasons: []),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(NodeUnschedulableFilter()) }
}

@Suite struct NodeNameFilterTests {
    static let cases: [FilterCase] = [
        .init(description: "no node name: skipped", pod: Fixtures.pod(), nodes: [Fixtures.node("n1")], reasons: []),
        .init(description: "names this node", pod: Fixtures.pod(nodeName: "n1"), nodes: [Fixtures.node("n1")], reasons: []),
        .init(description: "names another node", pod: Fixtures.pod(nodeName: "n2"), nodes: [Fixtures.node("n1"), Fixtures.node("n2")], reasons: ["node(s) didn't match the requested node name"], resolvable: false),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(NodeNameFilter()) }
}

@Suite struct TaintTolerationFilterTests {
    static let gpu = Fixtures.taint("dedicated", "gpu")
    static let cases: [FilterCase] = [
        .init(description: "no taints", pod: Fixtures.pod(), nodes: [Fixtures.node("n1")], reasons: []),
        .init(description: "untolerated NoSchedule", pod: Fixtures.pod(), nodes: [Fixtures.node("n1", taints: [gpu])], reasons: ["node(s) had untolerated taint {dedicated: gpu}"], resolvable: false),
        .init(description: "untolerated NoExecute", pod: Fixtures.pod(), nodes: [Fixtures.node("n1", taints: [Fixtures.taint("maintenance", effect: "NoExecute")])], reasons: ["node(s) had untolerated taint {maintenance: }"], resolvable: false),
        .init(description: "PreferNoSchedule does not filter", pod: Fixtures.pod(), nodes: [Fixtures.node("n1", taints: [Fixtures.taint("soft", "x", effect: "PreferNoSchedule")])], reasons: []),
        .init(
            description: "tolerated with Equal",
            pod: Fixtures.pod(spec: ["tolerations": [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"]]]),
            nodes: [Fixtures.node("n1", taints: [gpu])], reasons: []),
        .init(
            description: "Exists on the key tolerates any value",
            pod: Fixtures.pod(spec: ["tolerations": [["key": "dedicated", "operator": "Exists"]]]),
            nodes: [Fixtures.node("n1", taints: [gpu])], reasons: []),
        .init(
            description: "Exists with an empty key tolerates everything",
            pod: Fixtures.pod(spec: ["tolerations": [["operator": "Exists"]]]),
            nodes: [Fixtures.node("n1", taints: [gpu, Fixtures.taint("other", effect: "NoExecute")])], reasons: []),
        .init(
            description: "the first untolerated taint is the reason",
            pod: Fixtures.pod(spec: ["tolerations": [["key": "dedicated", "operator": "Exists"]]]),
            nodes: [Fixtures.node("n1", taints: [gpu, Fixtures.taint("team", "a"), Fixtures.taint("zone", "b")])],
            reasons: ["node(s) had untolerated taint {team: a}"], resolvable: false),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(TaintTolerationFilter()) }

    @Test func fixAddsTheToleration() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1", taints: [Self.gpu])])
        let verdict = Fixtures.judge(TaintTolerationFilter(), Fixtures.pod(), on: "n1", in: state, explain: true)
        #expect(verdict.fix?.text == "add toleration dedicated=gpu:NoSchedule")
    }
}

@Suite struct NodeAffinityFilterTests {
    static let ssd = Fixtures.node("n1", labels: ["disktype": "ssd", "zone": "a", "cores": "8"])
    static func required(_ expressions: JSON) -> JSON {
        ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": expressions]]]]
    }
    static let reason = "node(s) didn't match Pod's node affinity/selector"

    static let cases: [FilterCase] = [
        .init(description: "no selector", pod: Fixtures.pod(), nodes: [ssd], reasons: []),
        .init(description: "nodeSelector matches", pod: Fixtures.pod(spec: ["nodeSelector": ["disktype": "ssd"]]), nodes: [ssd], reasons: []),
        .init(description: "nodeSelector value differs", pod: Fixtures.pod(spec: ["nodeSelector": ["disktype": "hdd"]]), nodes: [ssd], reasons: [reason], resolvable: false),
        .init(description: "nodeSelector label missing", pod: Fixtures.pod(spec: ["nodeSelector": ["gpu": "true"]]), nodes: [ssd], reasons: [reason], resolvable: false),
        .init(description: "In", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "zone", "operator": "In", "values": ["a", "b"]]]]])), nodes: [ssd], reasons: []),
        .init(description: "NotIn", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "zone", "operator": "NotIn", "values": ["a"]]]]])), nodes: [ssd], reasons: [reason], resolvable: false),
        .init(description: "Exists", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "disktype", "operator": "Exists"]]]])), nodes: [ssd], reasons: []),
        .init(description: "DoesNotExist", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "gpu", "operator": "DoesNotExist"]]]])), nodes: [ssd], reasons: []),
        .init(description: "Gt", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "cores", "operator": "Gt", "values": ["8"]]]]])), nodes: [ssd], reasons: [reason], resolvable: false),
        .init(description: "Lt", pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "cores", "operator": "Lt", "values": ["9"]]]]])), nodes: [ssd], reasons: []),
        .init(
            description: "terms are ORed",
            pod: Fixtures.pod(spec: required([
                ["matchExpressions": [["key": "zone", "operator": "In", "values": ["z"]]]],
                ["matchExpressions": [["key": "disktype", "operator": "In", "values": ["ssd"]]]],
            ])),
            nodes: [ssd], reasons: []),
        .init(description: "matchFields metadata.name", pod: Fixtures.pod(spec: required([["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n1"]]]]])), nodes: [ssd], reasons: []),
        .init(description: "matchFields names another node", pod: Fixtures.pod(spec: required([["matchFields": [["key": "metadata.name", "operator": "NotIn", "values": ["n1"]]]]])), nodes: [ssd], reasons: [reason], resolvable: false),
        .init(
            description: "selector and affinity must both hold",
            pod: Fixtures.pod(spec: required([["matchExpressions": [["key": "zone", "operator": "In", "values": ["a"]]]]]).merging(["nodeSelector": ["disktype": "hdd"]])),
            nodes: [ssd], reasons: [reason], resolvable: false),
        .init(description: "an empty terms list matches nothing", pod: Fixtures.pod(spec: required([])), nodes: [ssd], reasons: [reason], resolvable: false),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(NodeAffinityFilter()) }

    @Test func fixNamesTheSelector() {
        let state = Fixtures.cluster(nodes: [Self.ssd])
        let verdict = Fixtures.judge(NodeAffinityFilter(), Fixtures.pod(spec: ["nodeSelector": ["disktype": "nvme"]]), on: "n1", in: state, explain: true)
        #expect(verdict.fix?.text == "remove node selector disktype=nvme or label n1 disktype=nvme")
        #expect(verdict.detail == "node selector disktype=nvme: the node has disktype=ssd")
    }
}

@Suite struct NodePortsFilterTests {
    static func ports(_ list: JSON) -> JSON { ["containers": [["name": "c", "ports": list]]] }
    static let web = Fixtures.pod("web", nodeName: "n1", spec: ports([["containerPort": 80, "hostPort": 8080]]))
    static let reason = "node(s) didn't have free ports for the requested pod ports"

    static let cases: [FilterCase] = [
        .init(description: "no host ports", pod: Fixtures.pod(), nodes: [Fixtures.node("n1")], pods: [web], reasons: []),
        .init(description: "the same host port is taken", pod: Fixtures.pod(spec: ports([["containerPort": 80, "hostPort": 8080]])), nodes: [Fixtures.node("n1")], pods: [web], reasons: [reason]),
        .init(description: "another host port is free", pod: Fixtures.pod(spec: ports([["containerPort": 80, "hostPort": 8081]])), nodes: [Fixtures.node("n1")], pods: [web], reasons: []),
        .init(description: "hostPort 0 asks for nothing", pod: Fixtures.pod(spec: ports([["containerPort": 8080, "hostPort": 0]])), nodes: [Fixtures.node("n1")], pods: [web], reasons: []),
        .init(description: "another protocol is free", pod: Fixtures.pod(spec: ports([["containerPort": 80, "hostPort": 8080, "protocol": "UDP"]])), nodes: [Fixtures.node("n1")], pods: [web], reasons: []),
        .init(description: "one address conflicts with every address", pod: Fixtures.pod(spec: ports([["containerPort": 80, "hostPort": 8080, "hostIP": "10.0.0.5"]])), nodes: [Fixtures.node("n1")], pods: [web], reasons: [reason]),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(NodePortsFilter()) }
}

@Suite struct NodeResourcesFitFilterTests {
    static let node = Fixtures.node("n1", cpu: "4", memory: "8Gi", pods: 3, extra: ["nvidia.com/gpu": "2", "ephemeral-storage": "10Gi"])
    static let busy = Fixtures.pod("busy", cpu: "3500m", memory: "6Gi", nodeName: "n1")

    static let cases: [FilterCase] = [
        .init(description: "fits", pod: Fixtures.pod(cpu: "500m", memory: "1Gi"), nodes: [node], pods: [busy], reasons: []),
        .init(description: "exactly the free cpu fits", pod: Fixtures.pod(cpu: "500m"), nodes: [node], pods: [busy], reasons: []),
        .init(description: "too much cpu", pod: Fixtures.pod(cpu: "501m"), nodes: [node], pods: [busy], reasons: ["Insufficient cpu"]),
        .init(description: "too much memory", pod: Fixtures.pod(memory: "3Gi"), nodes: [node], pods: [busy], reasons: ["Insufficient memory"]),
        .init(description: "each shortage is its own reason", pod: Fixtures.pod(cpu: "1", memory: "3Gi"), nodes: [node], pods: [busy], reasons: ["Insufficient cpu", "Insufficient memory"]),
        .init(
            description: "extended resource",
            pod: Fixtures.pod(spec: ["containers": [["name": "c", "resources": ["requests": ["nvidia.com/gpu": "3"]]]]]),
            nodes: [node], reasons: ["Insufficient nvidia.com/gpu"]),
        .init(
            description: "extended resource the node lacks",
            pod: Fixtures.pod(spec: ["containers": [["name": "c", "resources": ["requests": ["example.com/fpga": "1"]]]]]),
            nodes: [node], reasons: ["Insufficient example.com/fpga"]),
        .init(
            description: "ephemeral storage",
            pod: Fixtures.pod(spec: ["containers": [["name": "c", "resources": ["requests": ["ephemeral-storage": "11Gi"]]]]]),
            nodes: [node], reasons: ["Insufficient ephemeral-storage"]),
        .init(
            description: "an init container larger than the free cpu",
            pod: Fixtures.pod(spec: ["containers": [["name": "c", "resources": ["requests": ["cpu": "100m"]]]], "initContainers": [["name": "i", "resources": ["requests": ["cpu": "1"]]]]]),
            nodes: [node], pods: [busy], reasons: ["Insufficient cpu"]),
        .init(
            description: "overhead counts",
            pod: Fixtures.pod(cpu: "400m", spec: ["overhead": ["cpu": "200m"]]),
            nodes: [node], pods: [busy], reasons: ["Insufficient cpu"]),
        .init(
            description: "zero requests only need a pod slot",
            pod: Fixtures.pod(),
            nodes: [Fixtures.node("n1", cpu: "0", memory: "0")], reasons: []),
        .init(
            description: "the pod limit",
            pod: Fixtures.pod(),
            nodes: [Fixtures.node("n1", pods: 1)], pods: [Fixtures.pod("x", nodeName: "n1")], reasons: ["Too many pods"]),
        .init(
            description: "too many pods and too little cpu",
            pod: Fixtures.pod(cpu: "5"),
            nodes: [Fixtures.node("n1", pods: 1)], pods: [Fixtures.pod("x", nodeName: "n1")], reasons: ["Too many pods", "Insufficient cpu"]),
        .init(
            description: "finished pods free their resources",
            pod: Fixtures.pod(cpu: "4"),
            nodes: [node], pods: [Fixtures.pod("done", cpu: "4", nodeName: "n1").merging(["status": ["phase": "Succeeded"]])], reasons: []),
    ]

    @Test(arguments: cases) func table(_ c: FilterCase) { c.run(NodeResourcesFitFilter()) }

    @Test func detailCarriesTheNumbers() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1", cpu: "4")], pods: [Fixtures.pod("busy", cpu: "3500m", nodeName: "n1")])
        let verdict = Fixtures.judge(NodeResourcesFitFilter(), Fixtures.pod(cpu: "2"), on: "n1", in: state, explain: true)
        #expect(verdict.detail.hasPrefix("cpu: requested 2, free 0.5 of 4"))
        #expect(verdict.fix?.text == "lower cpu request to ≤ 0.5")
    }

    @Test func assumedPodsCount() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1", cpu: "1")])
        state.assume(PodInfo(json: Fixtures.pod("first", cpu: "800m")), on: "n1")
        #expect(Fixtures.judge(NodeResourcesFitFilter(), Fixtures.pod("second", cpu: "300m"), on: "n1", in: state).reasons == ["Insufficient cpu"])
        state.forget(PodInfo(json: Fixtures.pod("first", cpu: "800m")))
        #expect(Fixtures.judge(NodeResourcesFitFilter(), Fixtures.pod("second", cpu: "300m"), on: "n1", in: state).passed)
    }

    @Test func nominatedHigherPriorityPodsReserveRoom() {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1", cpu: "1")])
        state.nominate(PodInfo(json: Fixtures.pod("vip", cpu: "800m", priority: 100)), on: "n1")
        #expect(Fixtures.judge(NodeResourcesFitFilter(), Fixtures.pod("low", cpu: "300m", priority: 1), on: "n1", in: state).reasons == ["Insufficient cpu"])
        #expect(Fixtures.judge(NodeResourcesFitFilter(), Fixtures.pod("high", cpu: "300m", priority: 1000), on: "n1", in: state).passed)
    }
}

extension JSON {
    /// This object with `other`'s members added or replaced (one level deep).
    func merging(_ other: JSON) -> JSON {
        var merged = self
        for (key, value) in other.object ?? [:] { merged[key] = value }
        return merged
    }
}

@Suite struct VolumeNodeAffinityFilterTests {
    static func stateWithLocalVolume() -> ClusterState {
        let state = Fixtures.cluster(nodes: [Fixtures.node("n1"), Fixtures.node("n2")])
        state.setClaim("default/data", volumeName: "local-pv")
        state.setClaim("default/anywhere", volumeName: "network-pv")
        state.setClaim("default/pending", volumeName: "")
        state.setVolume("local-pv", nodeAffinity: [NodeSelectorTerm(json: [
            "matchExpressions": [["key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]]]
        ])])
        return state
    }

    static func pod(claim: String) -> JSON {
        Fixtures.pod(spec: ["volumes": [["name": "v", "persistentVolumeClaim": ["claimName": .string(claim)]]]])
    }

    @Test func localVolumesPinTheNode() {
        let state = Self.stateWithLocalVolume()
        #expect(Fixtures.judge(VolumeNodeAffinityFilter(), Self.pod(claim: "data"), on: "n1", in: state).passed)
        let other = Fixtures.judge(VolumeNodeAffinityFilter(), Self.pod(claim: "data"), on: "n2", in: state, explain: true)
        #expect(other.reasons == ["node(s) had volume node affinity conflict"])
        #expect(other.outcome == .unresolvable)
        #expect(other.detail == "volume local-pv is reachable only from nodes matching (kubernetes.io/hostname in (n1))")
    }

    @Test func volumesWithoutAffinityAndUnboundClaimsDoNotConstrain() {
        let state = Self.stateWithLocalVolume()
        #expect(Fixtures.judge(VolumeNodeAffinityFilter(), Self.pod(claim: "anywhere"), on: "n2", in: state).passed)
        #expect(Fixtures.judge(VolumeNodeAffinityFilter(), Self.pod(claim: "pending"), on: "n2", in: state).passed)
    }

    @Test func aMissingClaimFailsBeforeAnyNode() {
        let state = Self.stateWithLocalVolume()
        var random = SchedulingRandom(seed: 42)
        guard case .failure(let failure) = SchedulingStack().schedule(PodInfo(json: Self.pod(claim: "nope")), in: state, random: &random) else {
            Issue.record("a pod with a missing claim must not be placed")
            return
        }
        #expect(failure.message == "0/2 nodes are available: persistentvolumeclaim \"nope\" not found.")
    }
}
