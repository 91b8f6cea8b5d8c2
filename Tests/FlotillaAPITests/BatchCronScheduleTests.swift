import Foundation
import Testing

@testable import FlotillaAPI

@Suite struct BatchCronScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    private func date(_ text: String) -> Date {
        guard let d = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
        return d
    }

    private func next(_ schedule: String, after: String, in zone: TimeZone? = nil) throws -> String? {
        let s = try CronSchedule(schedule)
        guard let n = s.next(after: date(after), in: zone ?? utc) else { return nil }
        return ISO8601DateFormatter().string(from: n)
    }

    @Test(arguments: [
        ("*/5 * * * *", "2025-03-10T10:02:30Z", "2025-03-10T10:05:00Z"),
        ("*/5 * * * *", "2025-03-10T10:05:00Z", "2025-03-10T10:10:00Z"),
        ("0 * * * *", "2025-03-10T10:00:00Z", "2025-03-10T11:00:00Z"),
        ("30 2 * * *", "2025-03-10T10:00:00Z", "2025-03-11T02:30:00Z"),
        ("0 0 1 * *", "2025-01-31T12:00:00Z", "2025-02-01T00:00:00Z"),
        ("0 0 29 2 *", "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 9 * * mon-fri", "2025-03-08T12:00:00Z", "2025-03-10T09:00:00Z"),
        ("0 0 13 * 5", "2025-03-01T00:00:00Z", "2025-03-07T00:00:00Z"),
        ("0 0 * * 0", "2025-03-10T00:00:00Z", "2025-03-16T00:00:00Z"),
        ("15,45 8-9 * jan,mar *", "2025-02-10T00:00:00Z", "2025-03-01T08:15:00Z"),
        ("0 12 */10 * *", "2025-03-02T00:00:00Z", "2025-03-11T12:00:00Z"),
        ("@hourly", "2025-03-10T10:59:59Z", "2025-03-10T11:00:00Z"),
        ("@daily", "2025-12-31T23:00:00Z", "2026-01-01T00:00:00Z"),
        ("@midnight", "2025-03-10T00:00:00Z", "2025-03-11T00:00:00Z"),
        ("@weekly", "2025-03-10T00:00:00Z", "2025-03-16T00:00:00Z"),
        ("@monthly", "2025-03-10T00:00:00Z", "2025-04-01T00:00:00Z"),
        ("@yearly", "2025-03-10T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("@annually", "2025-03-10T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("@every 90m", "2025-03-10T10:00:30Z", "2025-03-10T11:30:30Z"),
        ("? * * * ?", "2025-03-10T10:00:00Z", "2025-03-10T10:01:00Z"),
    ])
    func nextRun(schedule: String, after: String, expected: String) throws {
        #expect(try next(schedule, after: after) == expected)
    }

    @Test func nextRunInAnotherZone() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
        #expect(try next("0 9 * * *", after: "2025-01-15T12:00:00Z", in: berlin) == "2025-01-16T08:00:00Z")
        #expect(try next("0 9 * * *", after: "2025-07-15T12:00:00Z", in: berlin) == "2025-07-16T07:00:00Z")
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!
        #expect(try next("0 0 * * *", after: "2025-01-15T12:00:00Z", in: kolkata) == "2025-01-15T18:30:00Z")
    }

    @Test func daylightSavingGapIsSkipped() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 02:30 does not exist on 2025-03-09 in New York; the next run is the following day.
        #expect(try next("30 2 * * *", after: "2025-03-09T05:00:00Z", in: newYork) == "2025-03-10T06:30:00Z")
        #expect(try next("30 3 * * *", after: "2025-03-09T05:00:00Z", in: newYork) == "2025-03-09T07:30:00Z")
    }

    @Test func daylightSavingOverlapTerminates() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 01:xx happens twice on 2025-11-02; an hour that never matches must still move on.
        #expect(try next("0 3 * * *", after: "2025-11-02T04:30:00Z", in: newYork) == "2025-11-02T08:00:00Z")
    }

    @Test func impossibleDateHasNoNextRun() throws {
        #expect(try next("0 0 30 2 *", after: "2025-01-01T00:00:00Z") == nil)
    }

    @Test(arguments: [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* 24 * * *", "end of range (24) above maximum (23): 24"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * 13 *", "end of range (13) above maximum (12): 13"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("*/2/3 * * * *", "too many slashes: */2/3"),
        ("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every soon", "failed to parse duration @every soon: time: invalid duration \"soon\""),
    ])
    func malformedSchedules(text: String, message: String) {
        #expect(throws: CronSchedule.ParseError(message: message)) { try CronSchedule(text) }
    }

    @Test func namesAreCaseInsensitive() throws {
        #expect(try CronSchedule("0 0 * JAN SUN") == CronSchedule("0 0 * 1 0"))
    }
}
