import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite("Replica set status counts")
struct ReplicaCountsTests {
    func pod(labels: JSONObject = ["app": "web"], ready: Bool = true, readySince: String = "2026-01-01T00:00:00Z") -> JSON {
        [
            "metadata": ["name": "p", "labels": .object(labels)],
            "status": [
                "phase": "Running",
                "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"), "lastTransitionTime": .string(readySince)]],
            ],
        ]
    }

    let now = Timestamp.parse("2026-01-01T00:00:30Z")!

    @Test func countsEveryPodOnceInEachCategory() {
        let counts = ReplicaCounts(
            pods: [pod(), pod(ready: false), pod(labels: ["app": "other"]), pod(labels: [:], ready: false)],
            templateLabels: ["app": "web"], minReadySeconds: 0, now: now)
        #expect(counts == ReplicaCounts(replicas: 4, fullyLabeled: 2, ready: 2, available: 2))
    }

    @Test func podsReadyForLessThanMinReadySecondsAreNotAvailable() {
        let counts = ReplicaCounts(
            pods: [pod(readySince: "2026-01-01T00:00:00Z"), pod(readySince: "2026-01-01T00:00:25Z")],
            templateLabels: ["app": "web"], minReadySeconds: 10, now: now)
        #expect(counts == ReplicaCounts(replicas: 2, fullyLabeled: 2, ready: 2, available: 1))
    }

    @Test func noPodsCountNothing() {
        #expect(ReplicaCounts(pods: [], templateLabels: ["app": "web"], minReadySeconds: 0, now: now) == ReplicaCounts())
    }

    @Test func aStatusChangeDoesNotChangeMembership() {
        #expect(!ReplicaSetPods.changesMembership(old: pod(ready: false), new: pod(ready: true)))
    }

    @Test func labelsOwnersAndEndingChangeMembership() {
        #expect(ReplicaSetPods.changesMembership(old: pod(), new: pod(labels: ["app": "other"])))
        var owned = pod()
        owned["metadata"]["ownerReferences"] = [["kind": "ReplicaSet", "name": "web", "uid": "u", "controller": true]]
        #expect(ReplicaSetPods.changesMembership(old: pod(), new: owned))
        var deleting = pod()
        deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:31Z"
        #expect(ReplicaSetPods.changesMembership(old: pod(), new: deleting))
        var failed = pod()
        failed["status"]["phase"] = "Failed"
        #expect(ReplicaSetPods.changesMembership(old: pod(), new: failed))
    }

    func versioned(_ pod: JSON, uid: String, version: String) -> JSON {
        var pod = pod
        pod["metadata"]["uid"] = .string(uid)
        pod["metadata"]["resourceVersion"] = .string(version)
        return pod
    }

    @Test func readinessIsReadOncePerPodVersion() {
        let memo = PodReadinessMemo()
        let since = Timestamp.parse("2026-01-01T00:00:00Z")
        #expect(memo.readiness(of: versioned(pod(), uid: "a", version: "1")) == PodReadiness(ready: true, since: since))
        // The same version is not read again (a pod version never changes its content) ...
        #expect(memo.readiness(of: versioned(pod(ready: false), uid: "a", version: "1")).ready)
        // ... a new one is.
        #expect(memo.readiness(of: versioned(pod(ready: false), uid: "a", version: "2")) == PodReadiness(ready: false, since: nil))
        #expect(memo.readiness(of: versioned(pod(), uid: "b", version: "3")).ready)
        #expect(memo.count == 2)
        memo.forget(versioned(pod(), uid: "a", version: "2"))
        #expect(memo.count == 1)
        // A pod without uid or version is read every time.
        #expect(!memo.readiness(of: pod(ready: false)).ready)
        #expect(memo.count == 1)
    }

    @Test func countsWithTheMemoEqualCountsWithout() {
        let memo = PodReadinessMemo()
        let pods = [
            versioned(pod(), uid: "a", version: "1"), versioned(pod(ready: false), uid: "b", version: "2"),
            versioned(pod(readySince: "2026-01-01T00:00:25Z"), uid: "c", version: "3"),
        ]
        let plain = ReplicaCounts(pods: pods, templateLabels: ["app": "web"], minReadySeconds: 10, now: now)
        #expect(ReplicaCounts(pods: pods, templateLabels: ["app": "web"], minReadySeconds: 10, now: now, readiness: memo.readiness(of:)) == plain)
        #expect(plain == ReplicaCounts(replicas: 3, fullyLabeled: 3, ready: 2, available: 1))
    }
}
