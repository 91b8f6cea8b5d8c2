/// Exponential back-off with a cap and optional jitter.
///
/// Each call to ``next()`` returns the delay before the next attempt and counts the attempt:
/// `initial`, `initial × multiplier`, `initial × multiplier²`, …, never above `maximum`.
/// Jitter shortens each delay by a random fraction of up to `jitter` (0 ≤ jitter ≤ 1), so that
/// many clients failing together do not retry in lockstep, while the cap stays a hard limit.
/// ``reset()`` starts over after a success (or, for a container, after it ran long enough).
public struct Backoff: Sendable, Equatable {
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var maximum: Duration
    /// The growth factor between attempts (≥ 1).
    public var multiplier: Double
    /// The largest fraction a delay may be shortened by at random (0 = none, 1 = full jitter).
    public var jitter: Double
    /// Attempts counted since the last reset.
    public private(set) var attempts: Int = 0

    public init(initial: Duration, maximum: Duration, multiplier: Double = 2, jitter: Double = 0) {
        precondition(initial >= .zero && maximum >= initial, "Backoff needs 0 <= initial <= maximum")
        precondition(multiplier >= 1, "Backoff multiplier must be at least 1")
        precondition((0...1).contains(jitter), "Backoff jitter must be within 0...1")
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// Retries of a failing API call or watch: 200 ms doubling up to 30 s, 20% jitter.
    public static var apiRetry: Backoff { Backoff(initial: .milliseconds(200), maximum: .seconds(30), jitter: 0.2) }

    /// Restarts of a crashing container, as Kubernetes' CrashLoopBackOff: 10 s doubling up to 5 min.
    public static var crashLoop: Backoff { Backoff(initial: .seconds(10), maximum: .seconds(300)) }

    /// The delay before attempt number `attempt` (0-based), without jitter.
    public func baseDelay(attempt: Int) -> Duration {
        guard initial > .zero else { return .zero }
        let wholeFactor = multiplier.rounded() == multiplier && multiplier < 1e6 ? Int(multiplier) : nil
        // Grow step by step so that huge attempt counts cannot overflow.
        var delay = initial
        var n = 0
        while n < attempt && delay < maximum && multiplier > 1 {
            if let wholeFactor {
                delay = delay * wholeFactor
            } else {
                delay = .seconds(delay.seconds * multiplier)
            }
            n += 1
        }
        return min(delay, maximum)
    }

    /// The delay before the next attempt, with jitter, using `generator` for randomness.
    public mutating func next(using generator: inout some RandomNumberGenerator) -> Duration {
        let base = baseDelay(attempt: attempts)
        attempts += 1
        guard jitter > 0, base > .zero else { return base }
        let shortenBy = Double.random(in: 0...jitter, using: &generator)
        return .seconds(base.seconds * (1 - shortenBy))
    }

    /// The delay before the next attempt, with jitter.
    public mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    /// Starts over from `initial`.
    public mutating func reset() {
        attempts = 0
    }
}

extension Duration {
    /// This duration in seconds, as a floating-point number.
    fileprivate var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
