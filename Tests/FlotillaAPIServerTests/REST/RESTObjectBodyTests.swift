import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

/// In-process callers hand request bodies over as objects and take single-object replies as
/// objects: the same checks apply, and they get what an HTTP client would read.
@Suite("REST bodies and replies as objects")
struct RESTObjectBodyTests {
    @Test func writesTakeObjectsAndReplyWithWhatAReadReturns() async throws {
        try await TestServer.with { s in
            let created = await s.sendObject("POST", Objects.configMaps, body: Objects.configMap("web"))
            #expect(created.status == 201 && created.asObject)
            #expect(created.json[path: ["metadata", "uid"]].string?.isEmpty == false)
            #expect(normalized(created.json) == normalized(await s.send("GET", Objects.configMaps + "/web").json))

            var changed = created.json
            changed["data"] = ["a": "2"]
            let updated = await s.sendObject("PUT", Objects.configMaps + "/web", body: changed)
            #expect(updated.status == 200 && updated.asObject)
            #expect(updated.json["data"] == ["a": "2"])

            let merged = await s.sendObject(
                "PATCH", Objects.configMaps + "/web", body: ["data": ["b": "3"]], contentType: "application/merge-patch+json")
            #expect(merged.status == 200 && merged.asObject)
            #expect(merged.json["data"] == ["a": "2", "b": "3"])

            let jsonPatch = await s.sendObject(
                "PATCH", Objects.configMaps + "/web", body: [["op": "remove", "path": "/data/a"]],
                contentType: "application/json-patch+json")
            #expect(jsonPatch.status == 200)
            let stored = await s.send("GET", Objects.configMaps + "/web").json
            #expect(stored["data"] == ["b": "3"])
            #expect(normalized(jsonPatch.json) == normalized(stored))
        }
    }

    @Test func malformedObjectBodiesAreRefusedAndNothingIsWritten() async throws {
        try await TestServer.with { s in
            _ = await s.sendObject("POST", Objects.configMaps, body: Objects.configMap("web"))
            let before = try await s.revision()

            let notAnObject = await s.sendObject("POST", Objects.configMaps, body: ["a", "b"])
            #expect(notAnObject.status == 400 && !notAnObject.asObject)
            #expect(notAnObject.json["kind"] == "Status")
            #expect(notAnObject.json["message"].string?.contains("must be a JSON object") == true)

            var badData = Objects.configMap("bad")
            badData["data"] = ["a": 1]
            // A field of the wrong type is a decoding error (400) in Kubernetes, naming the field.
            let invalid = await s.sendObject("POST", Objects.configMaps, body: badData)
            #expect(invalid.status == 400)
            #expect(invalid.json["message"].string?.contains("data") == true)

            let badPatch = await s.sendObject(
                "PATCH", Objects.configMaps + "/web", body: ["not", "a", "patch"], contentType: "application/merge-patch+json")
            #expect(badPatch.status == 400)
            #expect(badPatch.json["message"].string?.contains("the patch must be a JSON object") == true)

            let wrongUID = await s.sendObject(
                "DELETE", Objects.configMaps + "/web", body: ["kind": "DeleteOptions", "preconditions": ["uid": "not-its-uid"]])
            #expect(wrongUID.status == 409)
            #expect(try await s.revision() == before)
            #expect(await s.send("GET", Objects.configMaps + "/web").status == 200)
        }
    }

    @Test func deleteOptionsComeAsAnObject() async throws {
        try await TestServer.with { s in
            let created = await s.sendObject("POST", Objects.configMaps, body: Objects.configMap("web"))
            let uid = try #require(created.json[path: ["metadata", "uid"]].string)
            let deleted = await s.sendObject(
                "DELETE", Objects.configMaps + "/web", body: ["kind": "DeleteOptions", "preconditions": ["uid": .string(uid)]])
            #expect(deleted.status == 200)
            #expect(await s.send("GET", Objects.configMaps + "/web").status == 404)
        }
    }

    @Test func aBindingIsTakenAndAnsweredAsObjects() async throws {
        try await TestServer.with { s in
            _ = await s.sendObject("POST", Objects.pods, body: Objects.pod("web"))
            let binding: JSON = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "web"], "target": ["kind": "Node", "name": "n1"]]
            let bound = await s.sendObject("POST", Objects.pods + "/web/binding", body: binding)
            #expect(bound.status == 201 && bound.asObject)
            #expect(bound.json["kind"] == "Status" && bound.json["status"] == "Success")
            #expect(await s.send("GET", Objects.pods + "/web").json["spec"]["nodeName"] == "n1")

            let again = await s.sendObject("POST", Objects.pods + "/web/binding", body: binding)
            #expect(again.status == 409 && !again.asObject)
            #expect(again.json["kind"] == "Status")
        }
    }

    @Test func aConvertedVersionComesAsTheObjectAnHTTPClientReads() async throws {
        try await TestServer.with { s in
            let path = RESTVersionConversionTests.v1
            let created = await s.sendObject("POST", path, body: RESTVersionConversionTests.v1Object("web"))
            #expect(created.status == 201 && created.asObject)
            #expect(created.json["apiVersion"] == "autoscaling/v1")
            #expect(created.json["spec"]["targetCPUUtilizationPercentage"] == 70)
            let read = await s.sendObject("GET", path + "/web")
            #expect(read.asObject)
            #expect(normalized(read.json) == normalized(await s.send("GET", path + "/web").json))
        }
    }

    @Test func aTableIsStillWrittenOut() async throws {
        try await TestServer.with { s in
            let table = await s.sendObject(
                "POST", Objects.configMaps, body: Objects.configMap("web"),
                accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.status == 201 && !table.asObject)
            #expect(table.json["kind"] == "Table")
        }
    }
}
