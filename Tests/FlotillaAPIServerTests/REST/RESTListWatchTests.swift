import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

@Suite("REST lists, watches and tables")
struct RESTListWatchTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    @Test func pagingWithLimitAndContinue() async throws {
        try await TestServer.with { s in
            for n in 0..<7 { _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("page-\(n)")) }
            let first = await s.send("GET", Objects.configMaps, query: [("limit", "3")])
            #expect(first.json["items"].array?.count == 3)
            let token = try #require(first.json["metadata"]["continue"].string)
            #expect(first.json["metadata"]["remainingItemCount"] == 4)
            let listRevision = first.json["metadata"]["resourceVersion"]

            // A write between pages does not show up in later pages.
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("page-9"))
            var names = (first.json["items"].array ?? []).compactMap { $0["metadata"]["name"].string }
            var next: String? = token
            while let t = next {
                let page = await s.send("GET", Objects.configMaps, query: [("limit", "3"), ("continue", t)])
                #expect(page.status == 200)
                #expect(page.json["metadata"]["resourceVersion"] == listRevision)
                names += (page.json["items"].array ?? []).compactMap { $0["metadata"]["name"].string }
                next = page.json["metadata"]["continue"].string
            }
            #expect(names == (0..<7).map { "page-\($0)" })

            let bad = await s.send("GET", Objects.configMaps, query: [("continue", "garbage!")])
            #expect(bad.status == 400)

            try await s.store.compact(revision: try await s.revision())
            let expired = await s.send("GET", Objects.configMaps, query: [("limit", "3"), ("continue", token)])
            #expect(expired.status == 410)
            #expect(expired.json["reason"] == "Expired")
        }
    }

    @Test func listAtAnExactRevision() async throws {
        try await TestServer.with { s in
            let first = await s.send("POST", Objects.configMaps, body: Objects.configMap("e1"))
            let rv = try #require(first.json["metadata"]["resourceVersion"].string)
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("e2"))
            let exact = await s.send("GET", Objects.configMaps, query: [("resourceVersion", rv), ("resourceVersionMatch", "Exact")])
            #expect(exact.json["items"].array?.count == 1)
            #expect(exact.json["metadata"]["resourceVersion"].string == rv)
            let notOlder = await s.send("GET", Objects.configMaps, query: [("resourceVersion", rv)])
            #expect(notOlder.json["items"].array?.count == 2)
            let future = await s.send("GET", Objects.configMaps, query: [("resourceVersion", "999999")])
            #expect(future.status == 504)
        }
    }

    @Test func selectorsFilterLists() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("a", labels: ["app": "web", "tier": "front"]))
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("b", labels: ["app": "web"]))
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("c", labels: ["app": "db"]))
            func names(_ query: [(String, String)]) async -> [String] {
                let reply = await s.send("GET", Objects.configMaps, query: query)
                return (reply.json["items"].array ?? []).compactMap { $0["metadata"]["name"].string }
            }
            #expect(await names([("labelSelector", "app=web")]) == ["a", "b"])
            #expect(await names([("labelSelector", "app in (web,db),!tier")]) == ["b", "c"])
            #expect(await names([("fieldSelector", "metadata.name!=a")]) == ["b", "c"])
            #expect(await names([("labelSelector", "app=web"), ("limit", "1")]) == ["a"])
            let all = await s.send("GET", "/api/v1/configmaps", query: [("fieldSelector", "metadata.namespace=default")])
            #expect(all.json["items"].array?.count == 3)
        }
    }

    @Test func tablesForListsAndObjects() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("t1", data: ["a": "1", "b": "2"]))
            let table = await s.send("GET", Objects.configMaps, query: [("limit", "500")], accept: Self.tableAccept)
            #expect(table.status == 200)
            #expect(table.json["kind"] == "Table")
            #expect(table.json["apiVersion"] == "meta.k8s.io/v1")
            let columns = (table.json["columnDefinitions"].array ?? []).compactMap { $0["name"].string }
            #expect(columns.first == "Name")
            #expect(columns.contains("Age"))
            #expect(table.json["columnDefinitions"][0]["format"] == "name")
            let row = table.json["rows"][0]
            #expect(row["cells"][0] == "t1")
            #expect(row["object"]["kind"] == "PartialObjectMetadata")
            #expect(row["object"]["metadata"]["name"] == "t1")
            #expect(table.json["metadata"]["resourceVersion"].string != nil)

            let full = await s.send("GET", Objects.configMaps, query: [("includeObject", "Object")], accept: Self.tableAccept)
            #expect(full.json["rows"][0]["object"]["kind"] == "ConfigMap")

            let single = await s.send("GET", Objects.configMaps + "/t1", accept: Self.tableAccept)
            #expect(single.json["kind"] == "Table")
            #expect(single.json["rows"].array?.count == 1)

            let partial = await s.send(
                "GET", Objects.configMaps, accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json")
            #expect(partial.json["kind"] == "PartialObjectMetadataList")
            #expect(partial.json["items"][0]["metadata"]["name"] == "t1")
            #expect(partial.json["items"][0]["data"].isNull)
        }
    }

    @Test func watchFromNowAndFromRevision() async throws {
        try await TestServer.with { s in
            let first = await s.send("POST", Objects.configMaps, body: Objects.configMap("w1"))
            let rv = try #require(first.json["metadata"]["resourceVersion"].string)

            let (status, initial) = await s.watch(Objects.configMaps, query: [("watch", "true")])
            #expect(status == 200)
            let added = try #require(try await initial.next(within: 5))
            #expect(added["type"] == "ADDED")
            #expect(added["object"]["metadata"]["name"] == "w1")
            #expect(added["object"]["metadata"]["resourceVersion"].string == rv)

            let (_, fromRevision) = await s.watch(Objects.configMaps, query: [("watch", "1"), ("resourceVersion", rv)])
            var changed = first.json
            changed["data"] = ["a": "changed"]
            _ = await s.send("PUT", Objects.configMaps + "/w1", body: changed)
            _ = await s.send("DELETE", Objects.configMaps + "/w1")

            for reader in [initial, fromRevision] {
                let modified = try #require(try await reader.next(within: 5))
                #expect(modified["type"] == "MODIFIED")
                #expect(modified["object"]["data"]["a"] == "changed")
                let deleted = try #require(try await reader.next(within: 5))
                #expect(deleted["type"] == "DELETED")
                #expect(deleted["object"]["metadata"]["name"] == "w1")
            }
        }
    }

    @Test func watchSelectionMovesObjectsInAndOut() async throws {
        try await TestServer.with { s in
            let (_, reader) = await s.watch(Objects.configMaps, query: [("watch", "true"), ("labelSelector", "app=web")])
            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("sel", labels: ["app": "db"]))
            var object = created.json
            object["metadata"]["labels"] = ["app": "web"]
            let moved = await s.send("PUT", Objects.configMaps + "/sel", body: object)
            var away = moved.json
            away["metadata"]["labels"] = ["app": "db"]
            _ = await s.send("PUT", Objects.configMaps + "/sel", body: away)

            let enter = try #require(try await reader.next(within: 5))
            #expect(enter["type"] == "ADDED")
            let leave = try #require(try await reader.next(within: 5))
            #expect(leave["type"] == "DELETED")
            #expect(leave["object"]["metadata"]["labels"]["app"] == "db")
        }
    }

    @Test func watchEndsAtTimeoutWithBookmark() async throws {
        try await TestServer.with { s in
            let (_, reader) = await s.watch(
                Objects.configMaps, query: [("watch", "true"), ("timeoutSeconds", "1"), ("allowWatchBookmarks", "true")])
            let bookmark = try #require(try await reader.next(within: 5))
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark["object"]["kind"] == "ConfigMap")
            #expect(bookmark["object"]["metadata"]["resourceVersion"].string != nil)
            #expect(try await reader.next(within: 5) == nil)
        }
    }

    @Test func watchFromCompactedRevisionIsExpired() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("old"))
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("new"))
            try await s.store.compact(revision: try await s.revision())
            let (status, reader) = await s.watch(Objects.configMaps, query: [("watch", "true"), ("resourceVersion", "1")])
            #expect(status == 200)
            let error = try #require(try await reader.next(within: 5))
            #expect(error["type"] == "ERROR")
            #expect(error["object"]["code"] == 410)
            #expect(error["object"]["reason"] == "Expired")
            #expect(try await reader.next(within: 5) == nil)
        }
    }

    @Test func watchInTableMode() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("tw"))
            let (_, reader) = await s.watch(Objects.configMaps, query: [("watch", "true")], accept: Self.tableAccept)
            let event = try #require(try await reader.next(within: 5))
            #expect(event["type"] == "ADDED")
            #expect(event["object"]["kind"] == "Table")
            #expect(event["object"]["rows"][0]["cells"][0] == "tw")
        }
    }
}
