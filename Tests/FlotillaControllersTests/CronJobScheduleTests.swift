import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite("Cron job schedule")
struct CronJobScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    private func date(_ text: String) -> Date { Timestamp.parse(text)! }

    private func stamp(_ date: Date?) -> String? { date.map(Timestamp.format) }

    @Test(arguments: [
        ("*/15 9-17 * * mon-fri", "2026-03-06T17:50:00Z", "2026-03-09T09:00:00Z"),
        ("0 0 1,15 * ?", "2026-03-02T00:00:00Z", "2026-03-15T00:00:00Z"),
        ("30 4 * feb sun", "2026-01-20T00:00:00Z", "2026-02-01T04:30:00Z"),
        ("@weekly", "2026-03-04T12:00:00Z", "2026-03-08T00:00:00Z"),
        ("@hourly", "2026-03-04T12:00:00Z", "2026-03-04T13:00:00Z"),
    ])
    func nextRunInUTC(schedule: String, after: String, expected: String) throws {
        #expect(stamp(try CronJobSchedule(schedule, timeZone: utc).next(after: date(after))) == expected)
    }

    @Test func aTimeZoneFieldOrPrefixShiftsTheRuns() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(stamp(try CronJobSchedule("0 9 * * *", timeZone: berlin).next(after: date("2026-01-10T12:00:00Z"))) == "2026-01-11T08:00:00Z")
        #expect(stamp(try CronJobSchedule("CRON_TZ=Europe/Berlin 0 9 * * *", timeZone: nil).next(after: date("2026-07-10T12:00:00Z"))) == "2026-07-11T07:00:00Z")
        #expect(stamp(try CronJobSchedule("TZ=Asia/Tokyo 0 0 * * *", timeZone: nil).next(after: date("2026-01-10T12:00:00Z"))) == "2026-01-10T15:00:00Z")
    }

    @Test func runsAcrossDaylightSavingChangesFollowTheWallClock() throws {
        let newYork = try CronJobSchedule("30 2 * * *", timeZone: TimeZone(identifier: "America/New_York")!)
        // 2026-03-08 has no 02:30 in New York (clocks jump from 02:00 to 03:00): that day is skipped.
        #expect(stamp(newYork.next(after: date("2026-03-07T08:00:00Z"))) == "2026-03-09T06:30:00Z")
        #expect(stamp(newYork.next(after: date("2026-03-06T08:00:00Z"))) == "2026-03-07T07:30:00Z")
        // Every hour in Berlin on the autumn change: 02:00 happens twice, one hour apart in UTC.
        let hourly = try CronJobSchedule("0 * * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(stamp(hourly.next(after: date("2026-10-25T00:00:00Z"))) == "2026-10-25T01:00:00Z")
    }

    @Test(arguments: [
        ("* * *", "expected exactly 5 fields, found 3: [* * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("@sometimes", "unrecognized descriptor: @sometimes"),
        ("CRON_TZ=Mars/Olympus 0 * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
    ])
    func invalidSchedulesSayWhy(text: String, message: String) {
        #expect(throws: FlotillaError.self) { try CronJobSchedule(text, timeZone: utc) }
        do {
            _ = try CronJobSchedule(text, timeZone: utc)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func unknownZonesAndLocalAreRejected() {
        #expect(CronJobSchedule.zone(named: "Europe/Paris") != nil)
        #expect(CronJobSchedule.zone(named: "Nowhere/City") == nil)
        #expect(CronJobSchedule.zone(named: "Local") == nil)
        #expect(CronJobSchedule.zone(named: "") == nil)
    }

    @Test func theMostRecentUnmetRunIsChosenAndTheMissedOnesCounted() throws {
        let everyTen = try CronJobSchedule("*/10 * * * *", timeZone: utc)
        let unmet = everyTen.unmet(since: date("2026-01-01T00:00:00Z"), now: date("2026-01-01T00:35:00Z"))
        #expect(stamp(unmet.mostRecent) == "2026-01-01T00:30:00Z" && unmet.missed == 3)
        // A run exactly at `now` is due; the last scheduled one is not run again.
        let atNow = everyTen.unmet(since: date("2026-01-01T00:30:00Z"), now: date("2026-01-01T00:40:00Z"))
        #expect(stamp(atNow.mostRecent) == "2026-01-01T00:40:00Z" && atNow.missed == 1)
        let none = everyTen.unmet(since: date("2026-01-01T00:30:00Z"), now: date("2026-01-01T00:39:59Z"))
        #expect(none.mostRecent == nil && none.missed == 0)
    }

    @Test func afterARestartTheLatestMissedRunIsDueOnceIfWithinTheStartingDeadline() throws {
        let everyMinute = try CronJobSchedule("* * * * *", timeZone: utc)
        let lastRun = date("2026-01-01T10:00:00Z")
        let now = date("2026-01-01T10:03:30Z")
        // No deadline: the latest of the three missed runs is due, the older ones are not made up.
        let any = everyMinute.due(lastRun: lastRun, startingDeadline: nil, now: now)
        #expect(stamp(any.run) == "2026-01-01T10:03:00Z" && any.missed == 3 && any.tooLate == nil)
        // Within a 60 s deadline: still due; only the runs since now - 60 s are counted.
        let inTime = everyMinute.due(lastRun: lastRun, startingDeadline: 60, now: now)
        #expect(stamp(inTime.run) == "2026-01-01T10:03:00Z" && inTime.missed == 1 && stamp(inTime.tooLate) == "2026-01-01T10:02:00Z")
        // Past a 20 s deadline: nothing is due, and the run given up is named.
        let late = everyMinute.due(lastRun: lastRun, startingDeadline: 20, now: now)
        #expect(late.run == nil && late.missed == 0 && stamp(late.tooLate) == "2026-01-01T10:03:00Z")
        // Once the run was made, it is not due again.
        let done = everyMinute.due(lastRun: date("2026-01-01T10:03:00Z"), startingDeadline: nil, now: now)
        #expect(done.run == nil && done.missed == 0)
    }

    @Test func manyMissedRunsAreEstimatedAndTheLatestStillFound() throws {
        let everyMinute = try CronJobSchedule("* * * * *", timeZone: utc)
        let unmet = everyMinute.unmet(since: date("2026-01-01T00:00:00Z"), now: date("2026-01-08T12:34:56Z"))
        #expect(stamp(unmet.mostRecent) == "2026-01-08T12:34:00Z")
        #expect(abs(unmet.missed - 10_834) <= 1)
        let monthly = try CronJobSchedule("@monthly", timeZone: utc)
        let months = monthly.unmet(since: date("2025-12-15T00:00:00Z"), now: date("2026-03-02T00:00:00Z"))
        #expect(stamp(months.mostRecent) == "2026-03-01T00:00:00Z" && months.missed == 3)
    }

    @Test func jobNamesAndTimestampsFollowTheScheduledTime() {
        let runAt = date("2026-01-01T09:00:00Z")
        #expect(CronJobSchedule.jobName(cronJob: "report", scheduled: runAt) == "report-29454300")
        #expect(CronJobSchedule.timestamp(runAt, in: nil) == "2026-01-01T09:00:00Z")
        #expect(CronJobSchedule.timestamp(runAt, in: TimeZone(identifier: "Europe/Berlin")!) == "2026-01-01T10:00:00+01:00")
    }
}
