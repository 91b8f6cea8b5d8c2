import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Written statuses")
struct WrittenStatusesTests {
    @Test func aLaggingCacheIsReadWithTheWrittenStatusUntilTheObjectChanges() {
        let written = WrittenStatuses()
        let read: JSON = ["metadata": ["resourceVersion": "7"], "status": ["lastScheduleTime": "2026-01-01T10:00:00Z"]]
        written.wrote(["lastScheduleTime": "2026-01-01T10:01:00Z"], over: read, key: "ns/a")
        #expect(written.current(read, key: "ns/a")["status"]["lastScheduleTime"] == "2026-01-01T10:01:00Z")
        #expect(written.current(read, key: "ns/b") == read)
        let caughtUp: JSON = ["metadata": ["resourceVersion": "8"], "status": ["lastScheduleTime": "2026-01-01T10:01:00Z"]]
        #expect(written.current(caughtUp, key: "ns/a") == caughtUp)
        // Once the cache moved on, the written status is gone for good.
        #expect(written.current(read, key: "ns/a") == read)
    }
}
