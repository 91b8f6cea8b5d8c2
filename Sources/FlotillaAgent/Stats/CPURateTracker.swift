import FlotillaCore

/// Turns cumulative CPU time into a rate: it keeps the previous reading of each thing measured
/// (a container by id, the node) and divides the CPU time used since by the time passed.
///
/// A reading younger than ``minimumWindow`` after the kept one gives no rate and does not
/// replace it, so that rates are not averaged over a sliver of time.
public final class CPURateTracker: Sendable {
    /// One reading of cumulative CPU time.
    public struct Reading: Sendable, Equatable {
        /// CPU time used since the start, in nanoseconds summed over cores.
        public var cumulativeNanoseconds: UInt64
        /// When it was taken, in nanoseconds since the Unix epoch.
        public var timestamp: Int64

        public init(cumulativeNanoseconds: UInt64, timestamp: Int64) {
            self.cumulativeNanoseconds = cumulativeNanoseconds
            self.timestamp = timestamp
        }
    }

    /// A rate and the window it was averaged over.
    public struct Rate: Sendable, Equatable {
        public var nanoCores: UInt64
        public var windowNanoseconds: Int64
    }

    public let minimumWindow: Duration
    private let previous = Locked<[String: Reading]>([:])

    public init(minimumWindow: Duration = .milliseconds(500)) {
        self.minimumWindow = minimumWindow
    }

    /// The rates of `readings` against the kept ones. Readings of keys without a kept reading, or
    /// whose window reaches the minimum, are kept for next time; keys absent from `readings` are
    /// forgotten.
    public func rates(_ readings: [String: Reading]) -> [String: Rate] {
        let minimum = Int64(minimumWindow.components.seconds) * 1_000_000_000 + minimumWindow.components.attoseconds / 1_000_000_000
        return previous.withLock { kept in
            var rates: [String: Rate] = [:]
            var next: [String: Reading] = [:]
            for (key, reading) in readings {
                guard let before = kept[key] else {
                    next[key] = reading
                    continue
                }
                guard reading.timestamp - before.timestamp >= minimum else {
                    next[key] = before
                    continue
                }
                rates[key] = Self.rate(from: before, to: reading)
                next[key] = reading
            }
            kept = next
            return rates
        }
    }

    /// The average rate between two readings: 0 when the counter went back (a restarted
    /// container under the same key).
    public static func rate(from before: Reading, to after: Reading) -> Rate {
        let window = after.timestamp - before.timestamp
        guard window > 0, after.cumulativeNanoseconds >= before.cumulativeNanoseconds else {
            return Rate(nanoCores: 0, windowNanoseconds: max(window, 0))
        }
        let used = after.cumulativeNanoseconds - before.cumulativeNanoseconds
        let nanoCores = (Double(used) * 1e9 / Double(window)).rounded()
        return Rate(nanoCores: UInt64(nanoCores), windowNanoseconds: window)
    }
}
