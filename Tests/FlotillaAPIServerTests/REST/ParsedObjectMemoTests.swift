import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Parsed object memo")
struct ParsedObjectMemoTests {
    @Test func aVersionIsParsedOnceAndTheOldestAreForgotten() throws {
        let memo = ParsedObjectMemo(capacity: 2)
        let first = try memo.object(key: "/k/a", revision: 1, bytes: Array(#"{"v":1}"#.utf8))
        #expect(first["v"] == 1)
        // The same version comes from the memo: other bytes under the same name are not read.
        #expect(try memo.object(key: "/k/a", revision: 1, bytes: Array("not json".utf8))["v"] == 1)
        #expect(try memo.object(key: "/k/a", revision: 2, bytes: Array(#"{"v":2}"#.utf8))["v"] == 2)
        #expect(try memo.object(key: "/k/b", revision: 3, bytes: Array(#"{"v":3}"#.utf8))["v"] == 3)
        #expect(memo.count == 2)
        // Revision 1 was the oldest and is gone: it is parsed from its bytes again.
        #expect(try memo.object(key: "/k/a", revision: 1, bytes: Array(#"{"v":10}"#.utf8))["v"] == 10)
        #expect(throws: (any Error).self) { try memo.object(key: "/k/c", revision: 4, bytes: Array("{".utf8)) }
    }
}
