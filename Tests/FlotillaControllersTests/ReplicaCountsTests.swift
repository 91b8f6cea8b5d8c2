import FlotillaCore
import Foundation
import Testing

@testable import FlotillaClient
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
        // Interned, so that runs of pods share a set, as in a replica set's cache.
        let sets = LabelSets()
        let counts = ReplicaCounts(
            pods: [pod(), pod(ready: false), pod(labels: ["app": "other"]), pod(labels: [:], ready: false), pod(labels: ["app": "other"])]
                .map { PodFacts($0, labelSets: sets) },
            templateLabels: ["app": "web"], minReadySeconds: 0, now: now)
        #expect(counts == ReplicaCounts(replicas: 5, fullyLabeled: 2, ready: 3, available: 3))
    }

    @Test func podsReadyForLessThanMinReadySecondsAreNotAvailable() {
        let counts = ReplicaCounts(
            pods: [pod(readySince: "2026-01-01T00:00:00Z"), pod(readySince: "2026-01-01T00:00:25Z")].map { PodFacts($0) },
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

    @Test func theFactsOfAPodAreReadWhenTheCacheStoresItsVersion() {
        let cache = ObjectCache()
        let labelSets = LabelSets()
        cache.summarize(with: PodFacts.summary(interningIn: labelSets))
        cache.addIndexer(ControllerIndexes.controllerUID) { OwnerReferences.controllerUID(of: $0).map { [$0] } ?? [] }
        var owned = pod(ready: false)
        owned["metadata"]["namespace"] = "default"
        owned["metadata"]["ownerReferences"] = [["kind": "ReplicaSet", "name": "web", "uid": "u", "controller": true]]
        cache.upsert(owned)
        let stored = cache.entries(inIndex: ControllerIndexes.controllerUID, "u").map(PodFacts.of)
        #expect(stored.count == 1 && stored[0].isActive && !stored[0].readiness.ready)
        // The entry holds the facts of the version stored, read when it was stored.
        #expect(cache.entries(inIndex: ControllerIndexes.controllerUID, "u")[0].summary is PodFacts)
        var ready = owned
        ready["status"]["conditions"] = [["type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"]]
        cache.upsert(ready)
        let updated = cache.entries(inIndex: ControllerIndexes.controllerUID, "u").map(PodFacts.of)
        #expect(updated.count == 1 && updated[0].readiness == PodReadiness(ready: true, since: Timestamp.parse("2026-01-01T00:00:00Z")))
        // Both versions carry the same labels: one shared set.
        #expect(updated[0].labelSet === stored[0].labelSet && labelSets.count == 1)
        #expect(ReplicaCounts(pods: updated, templateLabels: ["app": "web"], minReadySeconds: 0, now: now) == ReplicaCounts(replicas: 1, fullyLabeled: 1, ready: 1, available: 1))
        cache.remove(key: "default/p")
        #expect(cache.entries(inIndex: ControllerIndexes.controllerUID, "u").isEmpty)
    }
}
