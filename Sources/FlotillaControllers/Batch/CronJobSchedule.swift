import FlotillaAPI
import FlotillaCore
import Foundation

/// When a CronJob runs: its `spec.schedule` (a ``CronSchedule``, optionally prefixed with
/// `CRON_TZ=<zone> ` or `TZ=<zone> `) read in `spec.timeZone`, else in the prefix's zone, else in
/// the server's local zone, as Kubernetes reads it; the run times it missed; and the names and
/// timestamps of the Jobs it creates.
struct CronJobSchedule: Sendable {
    let schedule: CronSchedule
    let timeZone: TimeZone

    /// How many missed runs are counted one by one before the rest are estimated.
    static let walkLimit = 1000

    /// Reads `text` in `timeZone` (nil: the prefix's zone or the local one); throws `.invalid`
    /// with the reason when the schedule or its prefix's zone does not parse.
    init(_ text: String, timeZone: TimeZone?) throws(FlotillaError) {
        var spec = text.trimmingCharacters(in: .whitespaces)
        var zone = timeZone ?? .current
        for prefix in ["CRON_TZ=", "TZ="] where spec.hasPrefix(prefix) {
            guard let space = spec.firstIndex(of: " ") else {
                throw FlotillaError(.invalid, "provided bad location \(spec.dropFirst(prefix.count)): missing schedule after the time zone")
            }
            let name = String(spec[spec.index(spec.startIndex, offsetBy: prefix.count)..<space])
            guard let named = Self.zone(named: name) else {
                throw FlotillaError(.invalid, "provided bad location \(name): unknown time zone \(name)")
            }
            if timeZone == nil { zone = named }
            spec = String(spec[space...]).trimmingCharacters(in: .whitespaces)
            break
        }
        do {
            schedule = try CronSchedule(spec)
        } catch {
            throw FlotillaError(.invalid, error.message)
        }
        self.timeZone = zone
    }

    /// The IANA zone `name` (`UTC` included), nil when Foundation does not know it.
    static func zone(named name: String) -> TimeZone? {
        guard !name.isEmpty, name.lowercased() != "local" else { return nil }
        return TimeZone(identifier: name)
    }

    /// The first run time strictly after `date`.
    func next(after date: Date) -> Date? {
        schedule.next(after: date, in: timeZone)
    }

    /// The latest run time after `earliest` and not after `now` (nil when none is due), and how
    /// many run times fell in between: exact up to ``walkLimit``, estimated from the interval
    /// between two runs beyond it.
    func unmet(since earliest: Date, now: Date) -> (mostRecent: Date?, missed: Int) {
        var mostRecent: Date?
        var missed = 0
        var t = earliest
        while missed < Self.walkLimit, let n = next(after: t), n <= now {
            mostRecent = n
            missed += 1
            t = n
        }
        guard missed == Self.walkLimit, let last = mostRecent, let following = next(after: last), following <= now else {
            return (mostRecent, missed)
        }
        // Too many to walk: estimate their number, and find the latest in a short stretch before now.
        let interval = max(1, following.timeIntervalSince(last))
        missed += Int(now.timeIntervalSince(last) / interval)
        let windows: [TimeInterval] = [3_600, 86_400, 32 * 86_400, 366 * 86_400, 5 * 366 * 86_400]
        for window in windows {
            var found: Date?
            var t = max(last, now.addingTimeInterval(-window))
            while let n = next(after: t), n <= now {
                found = n
                t = n
            }
            if let found { return (found, missed) }
        }
        return (mostRecent, missed)
    }

    /// What is due at `now` for a cron job last run (or created) at `lastRun`: the latest unmet
    /// run time, unless it is older than `startingDeadline` seconds; how many run times were
    /// missed (counted from `now - startingDeadline` when that is later, as Kubernetes counts);
    /// and the latest run time given up because it was older than the deadline.
    func due(lastRun: Date, startingDeadline: TimeInterval?, now: Date) -> (run: Date?, missed: Int, tooLate: Date?) {
        guard let startingDeadline else {
            let unmet = unmet(since: lastRun, now: now)
            return (unmet.mostRecent, unmet.missed, nil)
        }
        let cutoff = now.addingTimeInterval(-startingDeadline)
        let inTime = unmet(since: max(lastRun, cutoff), now: now)
        let tooLate = cutoff > lastRun ? unmet(since: lastRun, now: cutoff).mostRecent : nil
        return (inTime.mostRecent, inTime.missed, tooLate)
    }

    /// The name of the Job for the run at `scheduled`: `<cronjob>-<minutes since the epoch>`, the
    /// same for every attempt, so that a run is never created twice.
    static func jobName(cronJob: String, scheduled: Date) -> String {
        "\(cronJob)-\(Int64((scheduled.timeIntervalSince1970 / 60).rounded(.down)))"
    }

    /// `scheduled` in RFC 3339 with the offset of `spec.timeZone` (UTC without one), for the
    /// `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation.
    static func timestamp(_ scheduled: Date, in zone: TimeZone?) -> String {
        guard let zone, zone.secondsFromGMT(for: scheduled) != 0 else { return Timestamp.format(scheduled) }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: scheduled)
    }
}
