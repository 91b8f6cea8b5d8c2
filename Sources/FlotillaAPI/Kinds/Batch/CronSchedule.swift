import Foundation

/// A cron schedule as CronJob's `spec.schedule` writes it: five fields (minute, hour, day of
/// month, month, day of week) or a descriptor (`@hourly`, `@daily`/`@midnight`, `@weekly`,
/// `@monthly`, `@yearly`/`@annually`, `@every <duration>`).
///
/// Fields accept `*` and `?`, numbers, ranges `a-b`, steps `/n`, lists `a,b` and the names
/// `jan`–`dec` and `sun`–`sat`. Days of week run 0 (Sunday) to 6. As in classic cron, when both
/// day fields are restricted a day matching either one is a match. Errors carry the messages
/// Kubernetes reports, e.g. `expected exactly 5 fields, found 4: [* * * *]`.
public struct CronSchedule: Sendable, Equatable {
    /// Why a schedule does not parse.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private enum Kind: Sendable, Equatable {
        /// Bit sets of allowed minutes (0–59), hours (0–23), days of month (1–31), months (1–12)
        /// and days of week (0–6); a `*`/`?` day field is "unrestricted".
        case fields(minutes: UInt64, hours: UInt64, days: UInt64, months: UInt64, weekdays: UInt64, daysStar: Bool, weekdaysStar: Bool)
        /// `@every`: a fixed interval in whole seconds.
        case every(seconds: Int64)
    }

    private let kind: Kind

    /// Parses `text`; throws ``ParseError`` with Kubernetes' wording when it is not a schedule.
    public init(_ text: String) throws(ParseError) {
        let spec = text.trimmingCharacters(in: .whitespaces)
        if spec.isEmpty { throw ParseError(message: "empty spec string") }
        if spec.hasPrefix("@") {
            kind = try Self.descriptor(spec)
            return
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        let minutes = try Self.field(fields[0], Self.minuteBounds)
        let hours = try Self.field(fields[1], Self.hourBounds)
        let days = try Self.field(fields[2], Self.dayBounds)
        let months = try Self.field(fields[3], Self.monthBounds)
        let weekdays = try Self.field(fields[4], Self.weekdayBounds)
        kind = .fields(
            minutes: minutes.bits, hours: hours.bits, days: days.bits, months: months.bits, weekdays: weekdays.bits,
            daysStar: days.star, weekdaysStar: weekdays.star)
    }

    /// The first scheduled time strictly after `date`, reading the schedule's fields in `timeZone`;
    /// nil when nothing matches within five years (e.g. `0 0 30 2 *`).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        switch kind {
        case .every(let seconds):
            return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down) + Double(seconds))
        case .fields(let minutes, let hours, let days, let months, let weekdays, let daysStar, let weekdaysStar):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            // Whole minutes: the next minute boundary strictly after `date`.
            var t = Date(timeIntervalSince1970: ((date.timeIntervalSince1970 / 60).rounded(.down) + 1) * 60)
            let yearLimit = calendar.component(.year, from: t) + 5
            while true {
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
                guard let year = c.year, let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute,
                    let weekday = c.weekday
                else { return nil }
                if year > yearLimit { return nil }
                if months & (1 << UInt64(month)) == 0 {
                    let (ny, nm) = month == 12 ? (year + 1, 1) : (year, month + 1)
                    guard let start = calendar.date(from: DateComponents(year: ny, month: nm, day: 1)) else { return nil }
                    t = start
                    continue
                }
                let dayMatch = days & (1 << UInt64(day)) != 0
                let weekdayMatch = weekdays & (1 << UInt64(weekday - 1)) != 0
                let dayOK = (daysStar || weekdaysStar) ? (dayMatch && weekdayMatch) : (dayMatch || weekdayMatch)
                if !dayOK {
                    guard let next = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: t)) else { return nil }
                    t = calendar.startOfDay(for: next)
                    continue
                }
                if hours & (1 << UInt64(hour)) == 0 {
                    t = t.addingTimeInterval(Double(3600 - minute * 60))
                    continue
                }
                if minutes & (1 << UInt64(minute)) == 0 {
                    t = t.addingTimeInterval(60)
                    continue
                }
                return t
            }
        }
    }

    // MARK: Parsing

    private struct Bounds {
        var min: Int
        var max: Int
        var names: [String: Int] = [:]
    }

    private static let minuteBounds = Bounds(min: 0, max: 59)
    private static let hourBounds = Bounds(min: 0, max: 23)
    private static let dayBounds = Bounds(min: 1, max: 31)
    private static let monthBounds = Bounds(
        min: 1, max: 12,
        names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12])
    private static let weekdayBounds = Bounds(
        min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6])

    private static func descriptor(_ spec: String) throws(ParseError) -> Kind {
        let standard: String
        switch spec {
        case "@yearly", "@annually": standard = "0 0 1 1 *"
        case "@monthly": standard = "0 0 1 * *"
        case "@weekly": standard = "0 0 * * 0"
        case "@daily", "@midnight": standard = "0 0 * * *"
        case "@hourly": standard = "0 * * * *"
        default:
            let prefix = "@every "
            guard spec.hasPrefix(prefix) else { throw ParseError(message: "unrecognized descriptor: \(spec)") }
            let text = String(spec.dropFirst(prefix.count))
            guard let nanoseconds = parseDuration(text) else {
                throw ParseError(message: "failed to parse duration \(spec): time: invalid duration \"\(text)\"")
            }
            return .every(seconds: max(1, nanoseconds / 1_000_000_000))
        }
        return try CronSchedule(standard).kind
    }

    /// One field: a comma-separated list of ranges; returns the bit set and whether the field
    /// is unrestricted (`*` or `?` without a step).
    private static func field(_ text: String, _ bounds: Bounds) throws(ParseError) -> (bits: UInt64, star: Bool) {
        var bits: UInt64 = 0
        var star = false
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let r = try range(String(part), bounds)
            bits |= r.bits
            star = star || r.star
        }
        return (bits, star)
    }

    private static func range(_ expr: String, _ bounds: Bounds) throws(ParseError) -> (bits: UInt64, star: Bool) {
        let rangeAndStep = expr.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var star = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            guard lowAndHigh.count == 1 else { throw ParseError(message: "too many hyphens: \(expr)") }
            start = bounds.min
            end = bounds.max
            star = true
        } else {
            start = try intOrName(lowAndHigh[0], bounds)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try intOrName(lowAndHigh[1], bounds)
            default: throw ParseError(message: "too many hyphens: \(expr)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            step = try nonNegativeInt(rangeAndStep[1])
            if lowAndHigh.count == 1 { end = bounds.max }
            if step > 1 { star = false }
        default:
            throw ParseError(message: "too many slashes: \(expr)")
        }
        if start < bounds.min { throw ParseError(message: "beginning of range (\(start)) below minimum (\(bounds.min)): \(expr)") }
        if end > bounds.max { throw ParseError(message: "end of range (\(end)) above maximum (\(bounds.max)): \(expr)") }
        if start > end { throw ParseError(message: "beginning of range (\(start)) beyond end of range (\(end)): \(expr)") }
        if step == 0 { throw ParseError(message: "step of range should be a positive number: \(expr)") }
        var bits: UInt64 = 0
        for v in stride(from: start, through: end, by: step) { bits |= 1 << UInt64(v) }
        return (bits, star)
    }

    private static func intOrName(_ text: String, _ bounds: Bounds) throws(ParseError) -> Int {
        if let named = bounds.names[text.lowercased()] { return named }
        return try nonNegativeInt(text)
    }

    private static func nonNegativeInt(_ text: String) throws(ParseError) -> Int {
        guard let n = Int(text) else {
            throw ParseError(message: "failed to parse int from \(text): strconv.Atoi: parsing \"\(text)\": invalid syntax")
        }
        if n < 0 { throw ParseError(message: "negative number (\(n)) not allowed: \(text)") }
        return n
    }

    /// A Go duration such as `1h30m`, `90s` or `1.5h`, in nanoseconds; nil when malformed.
    private static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var rest = Substring(text)
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total < 9.2e18 else { return nil }
        return Int64(total)
    }
}
