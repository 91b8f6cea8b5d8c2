import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

/// In-process callers take a watch's events as objects: the same events, with the same
/// objects, as the JSON lines an HTTP client reads.
@Suite("REST watches as objects")
struct RESTObjectWatchTests {
    @Test func objectsMatchTheLinesOfTheSameWatch() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("before", labels: ["app": "web"]))
            let query = [("watch", "true"), ("labelSelector", "app=web"), ("resourceVersion", "0")]
            let (linesStatus, lines) = await s.watch(Objects.configMaps, query: query)
            let (objectsStatus, objects) = await s.watch(Objects.configMaps, query: query, objects: true)
            #expect(linesStatus == 200 && objectsStatus == 200)

            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("during", labels: ["app": "web"]))
            var changed = created.json
            changed["data"] = ["a": "2"]
            let updated = await s.send("PUT", Objects.configMaps + "/during", body: changed)
            var away = updated.json
            away["metadata"]["labels"] = ["app": "db"]
            _ = await s.send("PUT", Objects.configMaps + "/during", body: away)
            _ = await s.send("DELETE", Objects.configMaps + "/before")

            var types: [String] = []
            for _ in 0..<5 {
                let line = try #require(try await lines.next(within: 5))
                let object = try #require(try await objects.next(within: 5))
                #expect(normalized(object) == normalized(line))
                types.append(object["type"].string ?? "")
            }
            #expect(types == ["ADDED", "ADDED", "MODIFIED", "DELETED", "DELETED"])
        }
    }

    @Test func aWatchWithoutSelectorsGivesObjectsWithTheirRevisions() async throws {
        try await TestServer.with { s in
            let (_, objects) = await s.watch(Objects.configMaps, query: [("watch", "true")], objects: true)
            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("plain"))
            let deleted = await s.send("DELETE", Objects.configMaps + "/plain")
            let added = try #require(try await objects.next(within: 5))
            #expect(added["type"] == "ADDED")
            #expect(added["object"]["metadata"]["resourceVersion"] == created.json["metadata"]["resourceVersion"])
            #expect(added["object"]["data"] == ["a": "1"])
            let gone = try #require(try await objects.next(within: 5))
            #expect(gone["type"] == "DELETED")
            #expect(gone["object"]["metadata"]["name"] == "plain")
            // A deletion carries the revision of the deletion, as over HTTP.
            #expect(gone["object"]["metadata"]["resourceVersion"] != created.json["metadata"]["resourceVersion"])
            #expect(deleted.status == 200)
        }
    }

    @Test func bookmarksAndErrorsComeAsObjects() async throws {
        try await TestServer.with { s in
            let (_, timed) = await s.watch(
                Objects.configMaps, query: [("watch", "true"), ("timeoutSeconds", "1"), ("allowWatchBookmarks", "true")], objects: true)
            let bookmark = try #require(try await timed.next(within: 5))
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark["object"]["kind"] == "ConfigMap")
            #expect(bookmark["object"]["metadata"]["resourceVersion"].string != nil)
            #expect(try await timed.next(within: 5) == nil)

            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("old"))
            try await s.store.compact(revision: try await s.revision())
            let (_, expired) = await s.watch(Objects.configMaps, query: [("watch", "true"), ("resourceVersion", "1")], objects: true)
            let error = try #require(try await expired.next(within: 5))
            #expect(error["type"] == "ERROR")
            #expect(error["object"]["code"] == 410)
            #expect(try await expired.next(within: 5) == nil)
        }
    }

    @Test func tablesStayLinesForInProcessCallers() async throws {
        try await TestServer.with { s in
            var request = APIRequest(
                method: "GET", path: Objects.configMaps, query: [(name: "watch", value: "true")],
                headers: [(name: "accept", value: RESTListWatchTests.tableAccept)], user: "admin")
            request.acceptsObjects = true
            let response = await s.server.handle(request)
            guard case .stream(let stream) = response.body else {
                Issue.record("a Table watch must come as lines")
                return
            }
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("tabled"))
            let event = try #require(try await WatchReader(stream).next(within: 5))
            #expect(event["object"]["kind"] == "Table")
        }
    }
}
