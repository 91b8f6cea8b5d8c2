import FlotillaCore
import Foundation
import Testing

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
}
