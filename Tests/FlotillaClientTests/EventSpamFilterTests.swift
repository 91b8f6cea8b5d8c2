import Foundation
import Testing

@testable import FlotillaClient

@Suite("Event spam filter")
struct EventSpamFilterTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    /// How many of `count` events about `key` at `now` the filter lets through.
    func allowed(_ count: Int, _ key: String, at now: Date, by filter: inout EventSpamFilter) -> Int {
        (0..<count).reduce(0) { total, _ in total + (filter.allows(key, now: now) ? 1 : 0) }
    }

    @Test func anObjectGets25EventsThenOneEveryFiveMinutes() {
        var filter = EventSpamFilter()
        #expect(allowed(26, "rs/web", at: start, by: &filter) == 25)
        // Half a token regained after 150 s, one and a half after 450 s.
        #expect(allowed(1, "rs/web", at: start.addingTimeInterval(150), by: &filter) == 0)
        #expect(allowed(2, "rs/web", at: start.addingTimeInterval(450), by: &filter) == 1)
        // Other objects have their own buckets.
        #expect(allowed(1, "rs/api", at: start, by: &filter) == 1)
    }

    @Test func aBucketRefillsNoFurtherThanItsBurst() {
        var filter = EventSpamFilter()
        _ = filter.allows("pod/a", now: start)
        let later = start.addingTimeInterval(365 * 86_400)
        #expect(allowed(26, "pod/a", at: later, by: &filter) == 25)
    }

    @Test func itRemembersABoundedNumberOfObjectsAndForgetsFullBucketsFirst() {
        var filter = EventSpamFilter(remembered: 4)
        for _ in 0..<25 { _ = filter.allows("busy", now: start) }
        for (i, name) in ["a", "b", "c", "d"].enumerated() { _ = filter.allows(name, now: start.addingTimeInterval(Double(i + 1))) }
        // All five are still refilling: the oldest go, down to three quarters of the bound.
        #expect(Set(filter.buckets.keys) == ["b", "c", "d"])
        // An hour on, every bucket is full again; they go before any that is not.
        #expect(allowed(1, "e", at: start.addingTimeInterval(3600), by: &filter) == 1)
        #expect(allowed(26, "hot", at: start.addingTimeInterval(3600), by: &filter) == 25)
        #expect(Set(filter.buckets.keys) == ["e", "hot"])
    }
}
