import FlotillaAPI
import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Pod binding")
struct PodBindingTests {
    private func binding(_ pod: String, node: String, uid: String? = nil, annotations: JSONObject = [:]) -> JSON {
        var metadata: JSONObject = ["name": .string(pod)]
        if let uid { metadata["uid"] = .string(uid) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        return ["apiVersion": "v1", "kind": "Binding", "metadata": .object(metadata), "target": ["kind": "Node", "name": .string(node)]]
    }

    @Test func bindingChecksTheUIDItNames() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.pods, body: Objects.pod("u1"))
            let uid = created.json["metadata"]["uid"].string ?? ""
            let wrong = await s.send("POST", Objects.pods + "/u1/binding", body: binding("u1", node: "n1", uid: "not-the-uid"))
            #expect(wrong.status == 409)
            #expect(await s.send("GET", Objects.pods + "/u1").json["spec"]["nodeName"].isNull)
            let right = await s.send("POST", Objects.pods + "/u1/binding", body: binding("u1", node: "n1", uid: uid))
            #expect(right.status == 201)
            #expect(await s.send("GET", Objects.pods + "/u1").json["spec"]["nodeName"] == "n1")
        }
    }

    @Test func bindingCopiesAnnotationsAndKeepsTheRest() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("a1", labels: ["app": "a"]))
            let before = await s.send("GET", Objects.pods + "/a1").json
            let bound = await s.send("POST", Objects.pods + "/a1/binding", body: binding("a1", node: "n2", annotations: ["example.com/why": "test"]))
            #expect(bound.status == 201)
            let pod = await s.send("GET", Objects.pods + "/a1").json
            #expect(pod["metadata"]["annotations"]["example.com/why"] == "test")
            #expect(pod["metadata"]["labels"] == before["metadata"]["labels"])
            #expect(pod["metadata"]["uid"] == before["metadata"]["uid"])
            #expect(pod["spec"]["containers"] == before["spec"]["containers"])
            #expect(pod["metadata"]["resourceVersion"] != before["metadata"]["resourceVersion"])
        }
    }

    @Test func bindingRefusesAnInvalidNodeNameAndDryRunWritesNothing() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("d1"))
            let invalid = await s.send("POST", Objects.pods + "/d1/binding", body: binding("d1", node: "Not_A_Node"))
            #expect(invalid.status == 422)
            let dry = await s.send("POST", Objects.pods + "/d1/binding", query: [("dryRun", "All")], body: binding("d1", node: "n1"))
            #expect(dry.status == 201)
            #expect(await s.send("GET", Objects.pods + "/d1").json["spec"]["nodeName"].isNull)
            let missing = await s.send("POST", Objects.pods + "/absent/binding", body: binding("absent", node: "n1"))
            #expect(missing.status == 404)
        }
    }

    @Test func bindingChangeRefusesPodsBeingDeletedOrAssigned() throws {
        var deleting: JSON = ["metadata": ["name": "p", "deletionTimestamp": "2026-01-01T00:00:00Z"], "spec": [:]]
        #expect(throws: FlotillaError.self) {
            try PodBindingChange.apply(to: &deleting, node: "n1", annotations: [:], name: "p", now: "2026-01-01T00:00:01Z")
        }
        var pod: JSON = [
            "metadata": ["name": "p"], "spec": [:],
            "status": ["conditions": [["type": "PodScheduled", "status": "False", "reason": "Unschedulable"]]],
        ]
        try PodBindingChange.apply(to: &pod, node: "n1", annotations: [:], name: "p", now: "2026-01-01T00:00:01Z")
        #expect(pod["spec"]["nodeName"] == "n1")
        #expect(pod["status"]["conditions"].array?.count == 1)
        #expect(pod["status"]["conditions"][0]["status"] == "True")
        #expect(pod["status"]["conditions"][0]["lastTransitionTime"] == "2026-01-01T00:00:01Z")
        #expect(throws: FlotillaError.self) {
            try PodBindingChange.apply(to: &pod, node: "n2", annotations: [:], name: "p", now: "2026-01-01T00:00:02Z")
        }
    }
}

@Suite("Pod status updates")
struct PodStatusUpdateTests {
    @Test func onlyPodStatusUpdatesSkipValidatingAgain() throws {
        let pods = try #require(ResourceCatalog.shared.resource(group: "", version: "v1", plural: "pods"))
        let services = try #require(ResourceCatalog.shared.resource(group: "", version: "v1", plural: "services"))
        #expect(APIServer.statusUpdateKeepsValidity(pods, scope: .status))
        #expect(!APIServer.statusUpdateKeepsValidity(pods, scope: .main))
        #expect(!APIServer.statusUpdateKeepsValidity(pods, scope: .system))
        #expect(!APIServer.statusUpdateKeepsValidity(services, scope: .status))
    }

    @Test func aStatusPatchChangesOnlyTheStatus() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.pods, body: Objects.pod("s1"))
            let patched = await s.send(
                "PATCH", Objects.pods + "/s1/status", raw: #"{"spec":{"nodeName":"elsewhere"},"status":{"phase":"Running"}}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["status"]["phase"] == "Running")
            #expect(patched.json["spec"] == created.json["spec"])
        }
    }
}
