import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct ModelTests {
    struct TolerationCase: Sendable, CustomStringConvertible {
        var description: String
        var toleration: JSON
        var taint: Taint
        var tolerates: Bool
    }

    static let tolerationCases: [TolerationCase] = [
        .init(description: "Equal with the same key, value and effect", toleration: ["key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"], taint: Taint(key: "k", value: "v", effect: .noSchedule), tolerates: true),
        .init(description: "Equal with another value", toleration: ["key": "k", "value": "w", "effect": "NoSchedule"], taint: Taint(key: "k", value: "v", effect: .noSchedule), tolerates: false),
        .init(description: "the operator defaults to Equal", toleration: ["key": "k", "value": "v"], taint: Taint(key: "k", value: "v", effect: .noExecute), tolerates: true),
        .init(description: "Exists matches any value", toleration: ["key": "k", "operator": "Exists"], taint: Taint(key: "k", value: "anything", effect: .noSchedule), tolerates: true),
        .init(description: "Exists with an empty key tolerates every taint", toleration: ["operator": "Exists"], taint: Taint(key: "dedicated", value: "gpu", effect: .noExecute), tolerates: true),
        .init(description: "Exists with an empty key but an effect tolerates only that effect", toleration: ["operator": "Exists", "effect": "NoSchedule"], taint: Taint(key: "x", effect: .noExecute), tolerates: false),
        .init(description: "another effect does not tolerate", toleration: ["key": "k", "operator": "Exists", "effect": "PreferNoSchedule"], taint: Taint(key: "k", effect: .noSchedule), tolerates: false),
        .init(description: "another key does not tolerate", toleration: ["key": "j", "operator": "Exists"], taint: Taint(key: "k", effect: .noSchedule), tolerates: false),
        .init(description: "an unknown operator tolerates nothing", toleration: ["key": "k", "operator": "Bogus", "value": "v"], taint: Taint(key: "k", value: "v", effect: .noSchedule), tolerates: false),
    ]

    @Test(arguments: tolerationCases) func tolerations(_ c: TolerationCase) {
        #expect(Toleration(json: c.toleration).tolerates(c.taint) == c.tolerates)
    }

    @Test func taintReasonIsKubernetes() {
        #expect(Taint(key: "dedicated", value: "gpu", effect: .noSchedule).reason == "node(s) had untolerated taint {dedicated: gpu}")
        #expect(Taint(key: "maintenance", effect: .noExecute).reason == "node(s) had untolerated taint {maintenance: }")
    }

    @Test func hostPortZeroAsksForNothing() {
        let spec: JSON = [
            "containers": [
                ["name": "a", "ports": [["containerPort": 80, "hostPort": 0], ["containerPort": 81], ["containerPort": 82, "hostPort": 8082]]],
                ["name": "b", "ports": [["containerPort": 53, "hostPort": 53, "protocol": "UDP", "hostIP": "10.0.0.1"]]],
            ]
        ]
        #expect(HostPort.ofPodSpec(spec) == [HostPort(port: 8082), HostPort(hostIP: "10.0.0.1", protocol: "UDP", port: 53)])
    }

    @Test func hostPortConflicts() {
        let any80 = HostPort(port: 80)
        #expect(any80.conflicts(with: HostPort(hostIP: "10.0.0.1", port: 80)))
        #expect(HostPort(hostIP: "10.0.0.1", port: 80).conflicts(with: HostPort(hostIP: "10.0.0.1", port: 80)))
        #expect(!HostPort(hostIP: "10.0.0.1", port: 80).conflicts(with: HostPort(hostIP: "10.0.0.2", port: 80)))
        #expect(!any80.conflicts(with: HostPort(protocol: "UDP", port: 80)))
        #expect(!any80.conflicts(with: HostPort(port: 81)))
    }

    struct TermCase: Sendable, CustomStringConvertible {
        var description: String
        var term: JSON
        var matches: Bool
    }

    static let nodeLabels = ["zone": "us-1", "cores": "16", "disktype": "ssd"]

    static let termCases: [TermCase] = [
        .init(description: "In", term: ["matchExpressions": [["key": "zone", "operator": "In", "values": ["us-1", "us-2"]]]], matches: true),
        .init(description: "In without the value", term: ["matchExpressions": [["key": "zone", "operator": "In", "values": ["eu-1"]]]], matches: false),
        .init(description: "NotIn", term: ["matchExpressions": [["key": "zone", "operator": "NotIn", "values": ["eu-1"]]]], matches: true),
        .init(description: "NotIn on a missing label", term: ["matchExpressions": [["key": "gpu", "operator": "NotIn", "values": ["a"]]]], matches: true),
        .init(description: "Exists", term: ["matchExpressions": [["key": "disktype", "operator": "Exists"]]], matches: true),
        .init(description: "DoesNotExist", term: ["matchExpressions": [["key": "disktype", "operator": "DoesNotExist"]]], matches: false),
        .init(description: "Gt", term: ["matchExpressions": [["key": "cores", "operator": "Gt", "values": ["8"]]]], matches: true),
        .init(description: "Gt equal is false", term: ["matchExpressions": [["key": "cores", "operator": "Gt", "values": ["16"]]]], matches: false),
        .init(description: "Lt", term: ["matchExpressions": [["key": "cores", "operator": "Lt", "values": ["32"]]]], matches: true),
        .init(description: "Gt on a non-number label", term: ["matchExpressions": [["key": "zone", "operator": "Gt", "values": ["1"]]]], matches: false),
        .init(description: "expressions are ANDed", term: ["matchExpressions": [["key": "zone", "operator": "In", "values": ["us-1"]], ["key": "disktype", "operator": "In", "values": ["hdd"]]]], matches: false),
        .init(description: "matchFields metadata.name", term: ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n1"]]]], matches: true),
        .init(description: "matchFields on another name", term: ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n2"]]]], matches: false),
        .init(description: "an empty term matches nothing", term: [:], matches: false),
        .init(description: "an unknown operator matches nothing", term: ["matchExpressions": [["key": "zone", "operator": "Near", "values": ["us-1"]]]], matches: false),
    ]

    @Test(arguments: termCases) func nodeSelectorTerms(_ c: TermCase) {
        #expect(NodeSelectorTerm(json: c.term).matches(name: "n1", labels: Self.nodeLabels) == c.matches)
    }

    @Test func ownerGroups() {
        let owned = PodInfo(json: Fixtures.pod("a", labels: ["app": "x"], owner: "rs-1"))
        let sibling = PodInfo(json: Fixtures.pod("b", labels: ["app": "y"], owner: "rs-1"))
        #expect(owned.ownerGroup == sibling.ownerGroup)
        let bare1 = PodInfo(json: Fixtures.pod("c", labels: ["app": "x", "tier": "web"]))
        let bare2 = PodInfo(json: Fixtures.pod("d", labels: ["tier": "web", "app": "x"]))
        let bare3 = PodInfo(json: Fixtures.pod("e", namespace: "other", labels: ["app": "x", "tier": "web"]))
        #expect(bare1.ownerGroup == bare2.ownerGroup)
        #expect(bare1.ownerGroup != bare3.ownerGroup)
        #expect(bare1.ownerGroup != owned.ownerGroup)
    }

    @Test func schedulingHashIgnoresStatus() {
        var json = Fixtures.pod("a", cpu: "1")
        let before = PodInfo(json: json)
        json["status"]["conditions"] = [["type": "PodScheduled", "status": "False", "message": "m"]]
        let statusOnly = PodInfo(json: json)
        #expect(statusOnly.schedulingHash == before.schedulingHash)
        #expect(statusOnly.unschedulableMessage == "m")
        json["metadata"]["labels"] = ["new": "label"]
        #expect(PodInfo(json: json).schedulingHash != before.schedulingHash)
    }

    @Test func priorityComesFromSpecOrItsClass() {
        #expect(PodInfo(json: Fixtures.pod("a", priority: 7)).priority == 7)
        let classed = Fixtures.pod("b", spec: ["priorityClassName": "high"])
        #expect(PodInfo(json: classed) { $0 == "high" ? 1000 : nil }.priority == 1000)
        #expect(PodInfo(json: Fixtures.pod("c")) { $0.isEmpty ? 5 : nil }.priority == 5)
    }
}
