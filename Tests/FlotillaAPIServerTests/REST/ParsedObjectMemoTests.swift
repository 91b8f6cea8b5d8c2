import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Parsed object memo")
struct ParsedObjectMemoTests {
    @Test func aVersionIsParsedOnceAndTheOldestAreForgotten() throws {
        let memo = ParsedObjectMemo(capacity: 2)
        let one = Array(#"{"v":1}"#.utf8)
        // What a write remembers is what a read of the same bytes gets, unparsed (the stand-in
        // differs from the bytes' parse only so that the test can tell).
        memo.remember(["v": 100], key: "/k/a", bytes: one)
        #expect(try memo.object(key: "/k/a", bytes: one)["v"] == 100)
        // Other bytes under the same key, or the same bytes under another key, are another version.
        #expect(try memo.object(key: "/k/a", bytes: Array(#"{"v":2}"#.utf8))["v"] == 2)
        #expect(memo.count == 2)
        #expect(try memo.object(key: "/k/b", bytes: one)["v"] == 1)
        #expect(memo.count == 2)
        // The remembered version was the oldest and is gone: its bytes are parsed again.
        #expect(try memo.object(key: "/k/a", bytes: one)["v"] == 1)
        #expect(throws: (any Error).self) { try memo.object(key: "/k/c", bytes: Array("{".utf8)) }
    }

    @Test func largeVersionsPushTheOldestOutBeforeTheCountIsReached() throws {
        let memo = ParsedObjectMemo(capacity: 100, byteBudget: 100)
        func version(_ n: Int) -> [UInt8] { Array(#"{"v":\#(n),"pad":"\#(String(repeating: "x", count: 30))"}"#.utf8) }
        for n in 1...3 { memo.remember(["v": .int(Int64(n * 100))], key: "/k/\(n)", bytes: version(n)) }
        #expect(memo.count == 2)
        // The first went to make room; the two newest are still the remembered objects.
        #expect(try memo.object(key: "/k/2", bytes: version(2))["v"] == 200)
        #expect(try memo.object(key: "/k/3", bytes: version(3))["v"] == 300)
        #expect(try memo.object(key: "/k/1", bytes: version(1))["v"] == 1)
        // One version larger than the whole budget is kept alone, until the next comes.
        let big = Array(#"{"v":9,"pad":"\#(String(repeating: "y", count: 200))"}"#.utf8)
        #expect(try memo.object(key: "/k/big", bytes: big)["v"] == 9)
        #expect(memo.count == 1)
    }

    @Test func updatesReadTheVersionTheServerWroteFromTheMemo() async throws {
        try await TestServer.with { t in
            let before = t.server.parsedObjects.count
            let created = await t.send("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "c"], "data": ["a": "1"]])
            #expect(created.status == 201)
            // The create left its object under the stored bytes, so reading them adds no version.
            #expect(t.server.parsedObjects.count == before + 1)
            let kv = try #require(try await t.store.get("/registry/core/configmaps/default/c"))
            #expect(try t.server.storedObject(kv)["metadata"]["resourceVersion"].string == String(kv.modRevision))
            #expect(t.server.parsedObjects.count == before + 1)
            // Planted under the stored bytes, a changed object shows where an update reads from.
            var planted = try t.server.parsedObjects.object(key: kv.key, bytes: kv.value)
            planted["data"]["b"] = "planted"
            t.server.parsedObjects.remember(planted, key: kv.key, bytes: kv.value)
            let patched = await t.send(
                "PATCH", "/api/v1/namespaces/default/configmaps/c", raw: #"{"data":{"a":"2"}}"#, contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["data"] == ["a": "2", "b": "planted"])
        }
    }
}
