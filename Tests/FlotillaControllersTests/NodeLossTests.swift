import FlotillaCore
import Foundation
import Testing

@testable import FlotillaClient
@testable import FlotillaControllers

@Suite("Evictions from tainted nodes and disruption budgets")
struct NodeLossTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func node(taints: JSON) -> JSON { ["metadata": ["name": "n1"], "spec": ["taints": taints]] }

    @Test func evictionFollowsTheTolerations() {
        let added = Timestamp.format(now.addingTimeInterval(-10))
        let unreachable: JSON = [["key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": .string(added)]]
        let bare: JSON = ["spec": [:]]
        #expect(NoExecuteEviction.deadline(for: bare, on: node(taints: unreachable), now: now) == now)
        let limited: JSON = ["spec": ["tolerations": [["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]]]]
        let due = NoExecuteEviction.deadline(for: limited, on: node(taints: unreachable), now: now)
        #expect(due == now.addingTimeInterval(290))
        let forever: JSON = ["spec": ["tolerations": [["operator": "Exists"]]]]
        #expect(NoExecuteEviction.deadline(for: forever, on: node(taints: unreachable), now: now) == nil)
        // NoSchedule taints never evict.
        #expect(NoExecuteEviction.deadline(for: bare, on: node(taints: [["key": "x", "effect": "NoSchedule"]]), now: now) == nil)
    }

    @Test func onlyNoExecuteTaintsMakeANodesPodsCandidates() {
        #expect(NoExecuteEviction.hasNoExecuteTaint(node(taints: [["key": "x", "effect": "NoSchedule"], ["key": "y", "effect": "NoExecute"]])))
        #expect(!NoExecuteEviction.hasNoExecuteTaint(node(taints: [["key": "x", "effect": "PreferNoSchedule"]])))
        #expect(!NoExecuteEviction.hasNoExecuteTaint(["metadata": ["name": "n1"], "spec": [:]]))
    }

    @Test func desiredHealthyFromEitherField() {
        #expect(DisruptionController.desiredHealthy(["minAvailable": 2], expected: 5) == 2)
        #expect(DisruptionController.desiredHealthy(["minAvailable": "50%"], expected: 5) == 3)
        #expect(DisruptionController.desiredHealthy(["maxUnavailable": 1], expected: 5) == 4)
        #expect(DisruptionController.desiredHealthy(["maxUnavailable": "30%"], expected: 5) == 3)
        #expect(DisruptionController.desiredHealthy(["maxUnavailable": 9], expected: 5) == 0)
    }

    @Test func nodeHealthReadsConditionsTaintsAndLeaseOnce() {
        let node: JSON = [
            "metadata": ["name": "n1", "creationTimestamp": "2026-01-01T00:00:00Z"],
            "spec": ["taints": [
                ["key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"],
                ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"],
                ["key": "dedicated", "effect": "NoSchedule"],
            ]],
            "status": ["conditions": [["type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "lastHeartbeatTime": "2026-01-01T00:01:00Z"]]],
        ]
        let health = NodeHealth(node)
        #expect(health.readyStatus == "Unknown" && health.readyReason == "NodeStatusUnknown")
        #expect(health.reportedAt == Timestamp.parse("2026-01-01T00:01:00Z"))
        #expect(health.hasNoExecuteTaint)
        #expect(health.taints.areAsWanted(unreachable: true, notReady: false))
        #expect(!health.taints.areAsWanted(unreachable: false, notReady: false))
        #expect(!health.taints.areAsWanted(unreachable: true, notReady: true))
        // One effect of a wanted taint is not enough; a stray effect of an unwanted one is one too many.
        let half = NodeHealth(["spec": ["taints": [["key": "node.kubernetes.io/not-ready", "effect": "NoExecute"]]]])
        #expect(!half.taints.areAsWanted(unreachable: false, notReady: true))
        #expect(!half.taints.areAsWanted(unreachable: false, notReady: false))
        let bare = NodeHealth(["metadata": ["name": "n2", "creationTimestamp": "2026-01-01T00:00:00Z"]])
        #expect(bare.readyStatus == nil && bare.reportedAt == Timestamp.parse("2026-01-01T00:00:00Z") && !bare.hasNoExecuteTaint)
        #expect(bare.taints.areAsWanted(unreachable: false, notReady: false))

        // The caches keep both summaries; without one they are read from the object.
        let nodes = ObjectCache(), leases = ObjectCache()
        nodes.summarize(with: NodeHealth.summarize)
        leases.summarize(with: LeaseRenewal.summarize)
        nodes.upsert(node)
        leases.upsert(["metadata": ["name": "n1", "namespace": "kube-node-lease"], "spec": ["renewTime": "2026-01-01T00:02:00.000000Z"]])
        #expect(nodes.entry(name: "n1")?.summary is NodeHealth)
        #expect(NodeHealth.of(nodes.entry(name: "n1")!).readyReason == "NodeStatusUnknown")
        #expect(LeaseRenewal.renewTime(of: leases.entry(namespace: "kube-node-lease", name: "n1")!) == Timestamp.parse("2026-01-01T00:02:00Z"))
        let plain = ObjectCache()
        plain.upsert(["metadata": ["name": "n3"], "spec": ["renewTime": "2026-01-01T00:03:00Z"]])
        #expect(LeaseRenewal.renewTime(of: plain.entry(name: "n3")!) == Timestamp.parse("2026-01-01T00:03:00Z"))
        #expect(NodeHealth.of(plain.entry(name: "n3")!).readyStatus == nil)
    }
}
