import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@Suite struct WorkQueueTests {
    @Test func pendingKeysAreDeduplicatedAndKeepTheirOrder() async {
        let queue = WorkQueue<String>()
        for key in ["a", "b", "a", "c", "b"] { queue.add(key) }
        #expect(queue.count == 3)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(await queue.next() == "c")
        #expect(queue.count == 0)
    }

    @Test func aKeyBeingProcessedIsNotHandedOutAgainUntilDone() async throws {
        let queue = WorkQueue<String>()
        queue.add("a")
        let first = await queue.next()
        #expect(first == "a")
        // Re-added while processing: held back, and only once however often it is added.
        queue.add("a")
        queue.add("a")
        queue.add("b")
        #expect(queue.count == 1)
        #expect(await queue.next() == "b")
        #expect(queue.count == 0)
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.next() == "a")
        queue.done("a")
        queue.done("b")
        #expect(queue.count == 0)
    }

    @Test func concurrentWorkersNeverShareAKey() async throws {
        let queue = WorkQueue<Int>()
        let active = LockedBox<Set<Int>>([])
        let overlaps = LockedBox(0)
        let processed = LockedBox(0)
        let workers = Task {
            await queue.runWorkers(4) { key in
                let clash = active.with { !$0.insert(key).inserted }
                if clash { overlaps.with { $0 += 1 } }
                try await Task.sleep(for: .milliseconds(1))
                active.with { _ = $0.remove(key) }
                processed.with { $0 += 1 }
            }
        }
        for round in 0..<50 {
            for key in 0..<5 { queue.add(key) }
            if round % 5 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        try await waitUntil { queue.count == 0 && active.with { $0.isEmpty } }
        try await Task.sleep(for: .milliseconds(20))
        queue.shutdown()
        await workers.value
        #expect(overlaps.with { $0 } == 0)
        #expect(processed.with { $0 } >= 5)
    }

    @Test func waitingWorkersWakeOnAdd() async throws {
        let queue = WorkQueue<String>()
        let waiter = Task { await queue.next() }
        try await Task.sleep(for: .milliseconds(20))
        queue.add("x")
        #expect(await waiter.value == "x")
    }

    @Test func addAfterDelaysAndTheEarliestTimeWins() async throws {
        let queue = WorkQueue<String>()
        let start = ContinuousClock.now
        queue.addAfter("late", delay: .seconds(30))
        queue.addAfter("late", delay: .milliseconds(50))
        queue.addAfter("late", delay: .seconds(60))
        #expect(queue.count == 0)
        #expect(queue.delayedCount == 1)
        let key = await queue.next()
        let waited = ContinuousClock.now - start
        #expect(key == "late")
        #expect(waited >= .milliseconds(50))
        // Neither later time won (a busy machine may start the waiter late, never 30 s late).
        #expect(waited < .seconds(30))
        #expect(queue.delayedCount == 0)
    }

    @Test func zeroDelayAddsAtOnce() async {
        let queue = WorkQueue<String>()
        queue.addAfter("now", delay: .zero)
        #expect(queue.count == 1)
    }

    @Test func rateLimitedRetriesBackOffPerKeyUntilForgotten() async throws {
        let queue = WorkQueue<String>(retryBackoff: Backoff(initial: .milliseconds(40), maximum: .seconds(10)))
        #expect(queue.retries("k") == 0)
        var start = ContinuousClock.now
        queue.addRateLimited("k")
        #expect(await queue.next() == "k")
        #expect(ContinuousClock.now - start >= .milliseconds(40))
        queue.done("k")
        start = ContinuousClock.now
        queue.addRateLimited("k")
        #expect(queue.retries("k") == 2)
        #expect(await queue.next() == "k")
        #expect(ContinuousClock.now - start >= .milliseconds(80))
        queue.done("k")
        // Another key has its own count.
        #expect(queue.retries("other") == 0)
        queue.forget("k")
        #expect(queue.retries("k") == 0)
        start = ContinuousClock.now
        queue.addRateLimited("k")
        #expect(await queue.next() == "k")
        #expect(ContinuousClock.now - start < .milliseconds(80) + .seconds(2))
    }

    @Test func runWorkersRetriesFailuresAndForgetsSuccesses() async throws {
        let queue = WorkQueue<String>(retryBackoff: Backoff(initial: .milliseconds(1), maximum: .milliseconds(10)))
        let attempts = LockedBox(0)
        struct Flaky: Error {}
        let workers = Task {
            await queue.runWorkers(1) { _ in
                let n = attempts.with { $0 += 1; return $0 }
                if n < 3 { throw Flaky() }
            }
        }
        queue.add("job")
        try await waitUntil { attempts.with { $0 } >= 3 && queue.retries("job") == 0 }
        queue.shutdown()
        await workers.value
        #expect(attempts.with { $0 } == 3)
    }

    @Test func shutdownReleasesWaitersAndIgnoresLaterAdds() async throws {
        let queue = WorkQueue<String>()
        let waiters = (0..<3).map { _ in Task { await queue.next() } }
        try await Task.sleep(for: .milliseconds(20))
        queue.addAfter("later", delay: .milliseconds(10))
        queue.shutdown()
        for waiter in waiters { #expect(await waiter.value == nil) }
        queue.add("x")
        #expect(queue.isShuttingDown)
        #expect(queue.count == 0)
        #expect(await queue.next() == nil)
        try await Task.sleep(for: .milliseconds(30))
        #expect(queue.count == 0)
    }

    @Test func cancellingAWaitingWorkerReturnsNil() async throws {
        let queue = WorkQueue<String>()
        let waiter = Task { await queue.next() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == nil)
        // The cancelled waiter takes nothing away from the next one.
        queue.add("y")
        #expect(await queue.next() == "y")
    }
}

/// A value shared between test tasks.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func with<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Polls `condition` until it holds, failing after `timeout` (generous: tests share two cores).
func waitUntil(
    timeout: Duration = .seconds(30), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
