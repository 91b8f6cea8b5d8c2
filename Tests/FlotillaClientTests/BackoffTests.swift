import FlotillaCore
import Testing

@Suite struct BackoffTests {
    @Test func doublesUpToTheCap() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<7).map { _ in backoff.next() }
        #expect(delays == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .seconds(1), .seconds(1), .seconds(1),
        ])
        #expect(backoff.attempts == 7)
    }

    @Test func resetStartsOver() {
        var backoff = Backoff(initial: .seconds(10), maximum: .seconds(300))
        _ = backoff.next()
        _ = backoff.next()
        #expect(backoff.next() == .seconds(40))
        backoff.reset()
        #expect(backoff.attempts == 0)
        #expect(backoff.next() == .seconds(10))
    }

    @Test func crashLoopMatchesKubernetes() {
        var backoff = Backoff.crashLoop
        let delays = (0..<7).map { _ in backoff.next() }
        #expect(delays == [.seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(160), .seconds(300), .seconds(300)])
    }

    @Test func jitterShortensButNeverExceedsTheBase() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(8), jitter: 0.5)
        var generator = SystemRandomNumberGenerator()
        var sawShorter = false
        for attempt in 0..<200 {
            let base = backoff.baseDelay(attempt: backoff.attempts)
            let delay = backoff.next(using: &generator)
            #expect(delay <= base, "attempt \(attempt)")
            #expect(delay >= base / 2, "attempt \(attempt)")
            if delay < base { sawShorter = true }
        }
        #expect(sawShorter)
    }

    @Test func hugeAttemptCountsStayAtTheCap() {
        let backoff = Backoff(initial: .milliseconds(5), maximum: .seconds(1000))
        #expect(backoff.baseDelay(attempt: 0) == .milliseconds(5))
        #expect(backoff.baseDelay(attempt: 10) == .milliseconds(5120))
        #expect(backoff.baseDelay(attempt: 1_000_000) == .seconds(1000))
        #expect(backoff.baseDelay(attempt: Int.max) == .seconds(1000))
    }

    @Test func zeroInitialDelayStaysZero() {
        var backoff = Backoff(initial: .zero, maximum: .seconds(1), jitter: 1)
        #expect(backoff.next() == .zero)
        #expect(backoff.next() == .zero)
    }
}
