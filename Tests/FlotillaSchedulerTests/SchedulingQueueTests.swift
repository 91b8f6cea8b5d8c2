import FlotillaCore
import Testing

@testable import FlotillaScheduler

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let offset = Locked<Duration>(.zero)
    let start = ContinuousClock.now

    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }

    func advance(_ duration: Duration) {
        offset.withLock { $0 += duration }
    }
}

@Suite(.timeLimit(.minutes(1))) struct SchedulingQueueTests {
    func makeQueue(_ clock: ManualClock) -> SchedulingQueue {
        SchedulingQueue(unschedulableTimeout: .seconds(60), now: { clock.now })
    }

    func pod(_ name: String, priority: Int64 = 0, labels: [String: String] = [:]) -> PodInfo {
        PodInfo(json: Fixtures.pod(name, labels: labels, priority: priority))
    }

    @Test func highestPriorityFirstThenOldest() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("old-low", priority: 1))
        clock.advance(.milliseconds(1))
        queue.addOrUpdate(pod("high", priority: 100))
        clock.advance(.milliseconds(1))
        queue.addOrUpdate(pod("new-low", priority: 1))
        clock.advance(.milliseconds(1))
        queue.addOrUpdate(pod("higher", priority: 1000))
        var order: [String] = []
        for _ in 0..<4 { order.append(await queue.pop()?.pod.name ?? "") }
        #expect(order == ["higher", "high", "old-low", "new-low"])
    }

    @Test func backoffDoublesFromOneToTenSeconds() {
        let queue = makeQueue(ManualClock())
        #expect((1...6).map { queue.backoff(attempts: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func failedPodsWaitOutTheirBackoff() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        let first = await queue.pop()
        #expect(first?.attempts == 0)
        queue.requeueBackoff("default/a")
        #expect(queue.counts.backoff == 1)
        clock.advance(.milliseconds(900))
        queue.flushBackoff()
        #expect(queue.counts.active == 0)
        clock.advance(.milliseconds(100))
        queue.flushBackoff()
        #expect(queue.counts.active == 1)
        let second = await queue.pop()
        #expect(second?.attempts == 1)
        queue.requeueBackoff("default/a")
        clock.advance(.milliseconds(1999))
        queue.flushBackoff()
        #expect(queue.counts.backoff == 1)
        clock.advance(.milliseconds(1))
        queue.flushBackoff()
        #expect(queue.counts.active == 1)
    }

    @Test func unschedulablePodsWaitForAClusterChange() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        _ = await queue.pop()
        queue.requeueUnschedulable("default/a")
        #expect(queue.counts.unschedulable == 1)
        clock.advance(.seconds(5))
        queue.flushBackoff()
        #expect(queue.counts.unschedulable == 1)
        // A node was added: the pod's 1 s back-off is over, so it is active at once.
        queue.moveAllToActiveOrBackoff()
        #expect(queue.counts.active == 1)
    }

    @Test func aMoveRightAfterAFailureGoesThroughBackoff() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        _ = await queue.pop()
        queue.requeueUnschedulable("default/a")
        queue.moveAllToActiveOrBackoff()
        #expect(queue.counts.backoff == 1)
    }

    @Test func aChangeWhileInFlightIsNotMissed() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        _ = await queue.pop()
        queue.moveAllToActiveOrBackoff()  // e.g. a node was added during the cycle
        queue.requeueUnschedulable("default/a")
        #expect(queue.counts.backoff == 1)
        #expect(queue.counts.unschedulable == 0)
    }

    @Test func unschedulablePodsAreRetriedAfterTheTimeout() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        _ = await queue.pop()
        queue.requeueUnschedulable("default/a")
        clock.advance(.seconds(59))
        queue.flushUnschedulable()
        #expect(queue.counts.unschedulable == 1)
        clock.advance(.seconds(1))
        queue.flushUnschedulable()
        #expect(queue.counts.active == 1)
    }

    @Test func updatesThatMatterRequeueAnUnschedulablePod() async {
        let clock = ManualClock()
        let queue = makeQueue(clock)
        queue.addOrUpdate(pod("a"))
        _ = await queue.pop()
        queue.requeueUnschedulable("default/a")
        clock.advance(.seconds(2))
        // A status-only update (the scheduler's own condition) changes nothing.
        var json = Fixtures.pod("a", priority: 0)
        json["status"]["conditions"] = [["type": "PodScheduled", "status": "False", "message": "0/1 nodes are available"]]
        queue.addOrUpdate(PodInfo(json: json))
        #expect(queue.counts.unschedulable == 1)
        // A new label may change where it fits.
        queue.addOrUpdate(pod("a", labels: ["new": "label"]))
        #expect(queue.counts.active == 1)
        #expect(await queue.pop()?.pod.labels == ["new": "label"])
    }

    @Test func deletedPodsLeave() async {
        let queue = makeQueue(ManualClock())
        queue.addOrUpdate(pod("a"))
        queue.addOrUpdate(pod("b"))
        queue.remove(key: "default/a")
        #expect(await queue.pop()?.pod.name == "b")
        // Deleted while in flight: not requeued.
        queue.remove(key: "default/b")
        queue.requeueUnschedulable("default/b")
        let counts = queue.counts
        #expect(counts.active + counts.backoff + counts.unschedulable + counts.inFlight == 0)
    }

    @Test func popWaitsForAPodAndCloseEndsIt() async {
        let queue = makeQueue(ManualClock())
        async let waiting = queue.pop()
        try? await Task.sleep(for: .milliseconds(20))
        queue.addOrUpdate(pod("late"))
        #expect(await waiting?.pod.name == "late")
        async let ended = queue.pop()
        try? await Task.sleep(for: .milliseconds(20))
        queue.close()
        #expect(await ended == nil)
    }
}
