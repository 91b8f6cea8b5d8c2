import Testing

@testable import FlotillaAgent

/// CPU rates come from two readings of cumulative CPU time, the earlier one kept per key.
@Suite struct CPURateTrackerTests {
    typealias Reading = CPURateTracker.Reading

    @Test func theRateIsCPUTimeOverTheWindow() {
        let before = Reading(cumulativeNanoseconds: 1_000_000_000, timestamp: 10_000_000_000)
        let after = Reading(cumulativeNanoseconds: 1_500_000_000, timestamp: 12_000_000_000)
        #expect(CPURateTracker.rate(from: before, to: after) == .init(nanoCores: 250_000_000, windowNanoseconds: 2_000_000_000))
    }

    @Test func aCounterThatWentBackGivesZero() {
        let before = Reading(cumulativeNanoseconds: 5_000, timestamp: 0)
        let after = Reading(cumulativeNanoseconds: 1_000, timestamp: 1_000_000_000)
        #expect(CPURateTracker.rate(from: before, to: after).nanoCores == 0)
    }

    @Test func theFirstReadingOnlyKeepsABaseline() {
        let tracker = CPURateTracker(minimumWindow: .seconds(1))
        #expect(tracker.rates(["a": Reading(cumulativeNanoseconds: 0, timestamp: 0)]).isEmpty)
        let rates = tracker.rates(["a": Reading(cumulativeNanoseconds: 2_000_000_000, timestamp: 1_000_000_000)])
        #expect(rates == ["a": .init(nanoCores: 2_000_000_000, windowNanoseconds: 1_000_000_000)])
    }

    @Test func aReadingTooSoonKeepsTheOlderBaseline() {
        let tracker = CPURateTracker(minimumWindow: .seconds(1))
        _ = tracker.rates(["a": Reading(cumulativeNanoseconds: 0, timestamp: 0)])
        #expect(tracker.rates(["a": Reading(cumulativeNanoseconds: 100, timestamp: 500_000_000)]).isEmpty)
        let rates = tracker.rates(["a": Reading(cumulativeNanoseconds: 3_000_000_000, timestamp: 2_000_000_000)])
        #expect(rates["a"] == .init(nanoCores: 1_500_000_000, windowNanoseconds: 2_000_000_000))
    }

    @Test func keysThatDisappearAreForgotten() {
        let tracker = CPURateTracker(minimumWindow: .seconds(1))
        _ = tracker.rates(["a": Reading(cumulativeNanoseconds: 0, timestamp: 0)])
        _ = tracker.rates(["b": Reading(cumulativeNanoseconds: 0, timestamp: 0)])
        #expect(tracker.rates(["a": Reading(cumulativeNanoseconds: 10, timestamp: 5_000_000_000)]).isEmpty)
    }
}
