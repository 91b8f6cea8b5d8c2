import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Replica set pods")
struct ReplicaSetPodsTests {
    func pod(_ name: String, node: String = "n1", phase: String = "Running", ready: Bool = true, readySince: String = "2026-01-01T00:00:00Z",
             restarts: Int64 = 0, created: String = "2026-01-01T00:00:00Z") -> JSON {
        [
            "metadata": ["name": .string(name), "creationTimestamp": .string(created)],
            "spec": ["nodeName": .string(node)],
            "status": [
                "phase": .string(phase),
                "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"), "lastTransitionTime": .string(readySince)]],
                "containerStatuses": [["restartCount": .int(restarts)]],
            ],
        ]
    }

    @Test func theLeastValuablePodsAreDeletedFirst() {
        let order = ReplicaSetPods.deletionOrder([
            pod("old-ready"),
            pod("unscheduled", node: "", phase: "Pending", ready: false),
            pod("pending", phase: "Pending", ready: false),
            pod("not-ready", ready: false),
            pod("recently-ready", readySince: "2026-06-01T00:00:00Z"),
            pod("restarting", restarts: 4),
        ]).map { $0["metadata"]["name"].string ?? "" }
        #expect(order == ["unscheduled", "pending", "not-ready", "recently-ready", "restarting", "old-ready"])
    }

    @Test func aNewPodCarriesTheTemplateAndItsOwner() {
        let owner: JSON = ["metadata": ["name": "web-abc", "namespace": "shop", "uid": "u1"]]
        let template: JSON = ["metadata": ["labels": ["app": "web"], "annotations": ["a": "b"]], "spec": ["containers": [["name": "c", "image": "i"]]]]
        let reference = OwnerReferences.controllerReference(to: owner, apiVersion: "apps/v1", kind: "ReplicaSet")
        let pod = ReplicaSetPods.make(template: template, owner: owner, ownerReference: reference)
        #expect(pod["metadata"]["generateName"].string == "web-abc-")
        #expect(pod["metadata"]["namespace"].string == "shop")
        #expect(pod["metadata"]["labels"]["app"].string == "web")
        #expect(pod["metadata"]["annotations"]["a"].string == "b")
        #expect(pod["metadata"]["ownerReferences"][0]["uid"].string == "u1")
        #expect(pod["metadata"]["ownerReferences"][0]["controller"].bool == true)
        #expect(pod["spec"] == template["spec"])
    }

    @Test func expectationsHoldUntilObservedOrForgotten() {
        let expectations = Expectations()
        #expect(expectations.satisfied("ns/web"))
        expectations.expect("ns/web", adds: 2)
        #expect(!expectations.satisfied("ns/web"))
        expectations.observedAdd("ns/web")
        #expect(!expectations.satisfied("ns/web"))
        expectations.observedAdd("ns/web")
        #expect(expectations.satisfied("ns/web"))
        expectations.expect("ns/web", deletes: 1)
        expectations.forget("ns/web")
        #expect(expectations.satisfied("ns/web"))
    }
}
