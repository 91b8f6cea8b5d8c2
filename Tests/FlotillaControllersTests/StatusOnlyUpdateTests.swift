import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Updates that change only the status")
struct StatusOnlyUpdateTests {
    let replicaSet: JSON = [
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": ["name": "web-1", "namespace": "default", "resourceVersion": "10", "generation": 2, "annotations": ["deployment.kubernetes.io/revision": "1"]],
        "spec": ["replicas": 3],
        "status": ["replicas": 2],
    ]

    @Test func aStatusWriteWithItsBookkeepingIsStatusOnly() {
        var written = replicaSet
        written[path: ["status", "replicas"]] = 3
        written[path: ["metadata", "resourceVersion"]] = "11"
        written[path: ["metadata", "managedFields"]] = [["manager": "flotilla-controller-manager", "subresource": "status"]]
        #expect(StatusOnlyUpdate.matches(old: replicaSet, new: written))
        #expect(StatusOnlyUpdate.matches(old: replicaSet, new: replicaSet))
    }

    @Test func specAndMetadataChangesAreNot() {
        var scaled = replicaSet
        scaled[path: ["spec", "replicas"]] = 5
        #expect(!StatusOnlyUpdate.matches(old: replicaSet, new: scaled))
        var annotated = replicaSet
        annotated[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] = "2"
        #expect(!StatusOnlyUpdate.matches(old: replicaSet, new: annotated))
        var deleting = replicaSet
        deleting[path: ["metadata", "deletionTimestamp"]] = "2026-12-01T00:00:00Z"
        #expect(!StatusOnlyUpdate.matches(old: replicaSet, new: deleting))
    }
}
