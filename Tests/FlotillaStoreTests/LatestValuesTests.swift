import FlotillaCore
import Testing

@testable import FlotillaStore

@Suite struct LatestValuesTests {
    func kv(_ key: String, _ text: String, _ revision: Int64) -> KeyValue {
        KeyValue(key: key, value: Array(text.utf8), createRevision: 1, modRevision: revision)
    }

    @Test func aCommitsKeysAreForgottenBeforeItAndRecordedAfter() {
        let latest = LatestValues(budget: 1 << 20)
        latest.record([.put(kv: kv("/a", "1", 2), previous: nil)])
        #expect(latest.value(of: "/a") == kv("/a", "1", 2))

        let next: [WatchEvent] = [.put(kv: kv("/a", "2", 3), previous: kv("/a", "1", 2))]
        latest.forget(next)
        #expect(latest.value(of: "/a") == nil)  // between the commit and the record: ask the database
        latest.record(next)
        #expect(latest.value(of: "/a") == kv("/a", "2", 3))
    }

    @Test func aKeyWrittenAndDeletedInOneCommitIsLeftOut() {
        let latest = LatestValues(budget: 1 << 20)
        let events: [WatchEvent] = [
            .put(kv: kv("/a", "1", 2), previous: nil), .delete(previous: kv("/a", "1", 2), revision: 3),
            .put(kv: kv("/b", "1", 4), previous: nil),
        ]
        latest.forget(events)
        latest.record(events)
        #expect(latest.value(of: "/a") == nil)
        #expect(latest.value(of: "/b") == kv("/b", "1", 4))
    }

    @Test func overItsBudgetItStartsAfresh() {
        let latest = LatestValues(budget: 10)
        latest.record([.put(kv: kv("/a", "12345", 2), previous: nil)])
        #expect(latest.value(of: "/a") != nil)
        latest.record([.put(kv: kv("/b", "123456", 3), previous: nil)])
        #expect(latest.value(of: "/a") == nil)
        #expect(latest.value(of: "/b") == nil)
        latest.record([.put(kv: kv("/c", "1", 4), previous: nil)])
        #expect(latest.value(of: "/c") == kv("/c", "1", 4))
    }
}
