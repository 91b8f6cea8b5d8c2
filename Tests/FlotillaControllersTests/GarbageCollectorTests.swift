import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Garbage collection")
struct GarbageCollectorTests {
    let pod: JSON = [
        "metadata": [
            "name": "web-1", "namespace": "default", "uid": "u1",
            "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "rs1", "controller": true]],
        ],
        "status": ["phase": "Pending"],
    ]

    @Test func aStatusUpdateNeedsNoLookAtTheOwners() {
        var running = pod
        running["status"]["phase"] = "Running"
        running["metadata"]["labels"] = ["app": "web"]
        #expect(!GarbageCollector.collectionMayChange(pod, running))
    }

    @Test func referencesDeletionAndFinalizersDo() {
        var released = pod
        released["metadata"]["ownerReferences"] = nil
        #expect(GarbageCollector.collectionMayChange(pod, released))
        var deleting = pod
        deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        #expect(GarbageCollector.collectionMayChange(pod, deleting))
        var finalized = pod
        finalized["metadata"]["finalizers"] = ["foregroundDeletion"]
        #expect(GarbageCollector.collectionMayChange(pod, finalized))
    }
}
