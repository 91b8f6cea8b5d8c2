import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite("Controller revisions of daemon sets and stateful sets", .serialized, .timeLimit(.minutes(1)))
struct ControllerHistoryTests {
    @Test func aRevisionHoldsTheTemplateAsAReplacePatch() {
        let template = WorkloadCluster.template(app: "agent", image: "agent:1")
        let data = ControllerHistory.data(template: template)
        #expect(data["spec"]["template"]["$patch"] == "replace")
        #expect(data["spec"]["template"]["spec"] == template["spec"])
        #expect(data.object?.keys.sorted() == ["spec"])
        #expect(data["spec"].object?.keys.sorted() == ["template"])
        #expect(ControllerHistory.template(of: ["data": data]) == template)
        let reordered: JSON = ["spec": ["template": ["$patch": "replace", "spec": template["spec"], "metadata": template["metadata"]]]]
        #expect(ControllerHistory.sameData(data, reordered))
        #expect(!ControllerHistory.sameData(data, ControllerHistory.data(template: WorkloadCluster.template(app: "agent", image: "agent:2"))))
    }

    @Test func aDaemonSetRecordsEachTemplateAndRenumbersOneThatComesBack() async throws {
        let cluster = try await WorkloadCluster()
        let set = try await cluster.daemonSet("agent", image: "agent:1", annotations: [ControllerHistory.changeCauseAnnotation: "first"])
        try await eventually { try await cluster.revisions("agent").count == 1 }
        let first = try await cluster.revisions("agent")[0]
        let hash = PodTemplateHash.of(set["spec"]["template"])
        #expect(first["metadata"]["name"].string == "agent-" + hash)
        #expect(first["metadata"]["labels"] == ["app": "agent", "controller-revision-hash": .string(hash)])
        #expect(first["metadata"]["annotations"][ControllerHistory.changeCauseAnnotation] == "first")
        #expect(first["revision"] == 1)
        #expect(first["data"] == ControllerHistory.data(template: set["spec"]["template"]))
        let owner = try #require(OwnerReferences.controller(of: first))
        #expect(owner["kind"] == "DaemonSet" && owner["uid"] == set["metadata"]["uid"] && owner["name"] == "agent")

        try await cluster.setImage(.daemonSets, "agent", "agent:2")
        try await eventually { try await cluster.revisionImages("agent") == ["agent:1", "agent:2"] }
        // What `kubectl rollout undo` sends: the old revision's data as a strategic merge patch.
        try await cluster.patch(.daemonSets, "agent", first["data"])
        try await eventually { try await cluster.revisionImages("agent") == ["agent:2", "agent:1"] }
        let revisions = try await cluster.revisions("agent")
        #expect(revisions.map { $0["revision"] } == [2, 3])
        #expect(revisions[1]["metadata"]["uid"] == first["metadata"]["uid"])
        #expect(try await cluster.get(.daemonSets, "agent")["spec"]["template"] == set["spec"]["template"])
        try await eventually {
            let status = try await cluster.get(.daemonSets, "agent")
            return status["status"]["observedGeneration"] == status["metadata"]["generation"]
        }
        await cluster.close()
    }

    @Test func theOldestUnusedRevisionsBeyondTheLimitAreDeleted() async throws {
        let cluster = try await WorkloadCluster()
        try await cluster.daemonSet("agent", image: "agent:1", spec: ["revisionHistoryLimit": 1])
        for version in 2...4 {
            try await eventually { try await cluster.revisionImages("agent").last == "agent:\(version - 1)" }
            try await cluster.setImage(.daemonSets, "agent", "agent:\(version)")
        }
        // The current revision plus one older one.
        try await eventually { try await cluster.revisionImages("agent") == ["agent:3", "agent:4"] }
        #expect(try await cluster.revisions("agent").map { $0["revision"] } == [3, 4])
        await cluster.close()
    }

    @Test func anOrphanedRevisionMatchingTheSelectorIsAdoptedAndReused() async throws {
        let cluster = try await WorkloadCluster()
        // The template as the server stores it, defaults included.
        let template = try await cluster.daemonSet("agent", image: "agent:1", dryRun: true)["spec"]["template"]
        _ = try await cluster.client.create(.controllerRevisions, [
            "metadata": ["name": "agent-old", "namespace": "default", "labels": ["app": "agent"]],
            "data": ControllerHistory.data(template: template), "revision": 7,
        ])
        // The controller knows of the orphan before it sees the set (two informers' events are
        // not ordered; otherwise the set's first sync may come first and make a revision).
        try await eventually { cluster.base.cache(of: .controllerRevisions)?.get(namespace: "default", name: "agent-old") != nil }
        let set = try await cluster.daemonSet("agent", image: "agent:1")
        try await eventually { OwnerReferences.controllerUID(of: try await cluster.get(.controllerRevisions, "agent-old")) == set["metadata"]["uid"].string }
        // The template is the adopted revision's: no new revision is made.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await cluster.revisions("agent").map { $0["metadata"]["name"] } == ["agent-old"])
        await cluster.close()
    }

    @Test func statefulSetPodsAndStatusNameTheirRevisions() async throws {
        let cluster = try await WorkloadCluster()
        let set = try await cluster.statefulSet("db", image: "db:1", replicas: 2)
        let name = "db-" + PodTemplateHash.of(set["spec"]["template"])
        try await eventually { try await cluster.revisions("db").map { $0["metadata"]["name"].string } == [name] }
        try await eventually { (try? await cluster.get(.pods, "db-0")) != nil }
        #expect(try await cluster.get(.pods, "db-0")["metadata"]["labels"][ControllerHistory.hashLabel].string == name)
        try await cluster.makeReady("db-0")
        try await eventually { (try? await cluster.get(.pods, "db-1")) != nil }
        try await cluster.makeReady("db-1")
        try await eventually {
            let status = try await cluster.get(.statefulSets, "db")["status"]
            return status["currentRevision"].string == name && status["updateRevision"].string == name && status["currentReplicas"] == 2
                && status["updatedReplicas"] == 2 && status["collisionCount"] == 0
        }

        // A new template with partition 1: only db-1 moves to the new revision.
        try await cluster.patch(.statefulSets, "db", ["spec": ["updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 1]]]])
        try await cluster.setImage(.statefulSets, "db", "db:2")
        try await eventually { try await cluster.revisionImages("db") == ["db:1", "db:2"] }
        let update = try await cluster.revisions("db")[1]["metadata"]["name"].string ?? ""
        try await eventually {
            let pod = try? await cluster.get(.pods, "db-1")
            return pod?["metadata"]["labels"][ControllerHistory.hashLabel].string == update
        }
        try await cluster.makeReady("db-1")
        try await eventually {
            let status = try await cluster.get(.statefulSets, "db")["status"]
            return status["currentRevision"].string == name && status["updateRevision"].string == update && status["currentReplicas"] == 1
                && status["updatedReplicas"] == 1
        }
        // A pod below the partition that goes comes back at the current revision.
        let gone = try await cluster.get(.pods, "db-0")["metadata"]["uid"]
        _ = try await cluster.client.delete(.pods, namespace: "default", name: "db-0")
        try await eventually {
            let pod = try? await cluster.get(.pods, "db-0")
            return pod != nil && pod?["metadata"]["uid"] != gone && pod?["spec"]["containers"][0]["image"] == "db:1"
                && pod?["metadata"]["labels"][ControllerHistory.hashLabel].string == name
        }
        await cluster.close()
    }
}
