import Foundation

/// A queue of jobs for dedicated (non-cooperative) threads, guarded by a condition variable.
///
/// Producers call ``append(_:)`` from any thread; consumer threads block in ``take(max:)``
/// until jobs arrive or the queue is closed.
final class ThreadJobQueue<Job>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var closed = false

    /// Adds a job; returns false (and drops it) if the queue is closed.
    func append(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Waits for jobs and takes up to `max` of them, oldest first; returns an empty array once
    /// the queue is closed and drained.
    func take(max: Int) -> [Job] {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        let count = Swift.min(max, jobs.count)
        let taken = Array(jobs.prefix(count))
        jobs.removeFirst(count)
        return taken
    }

    /// Takes up to `max` queued jobs without waiting.
    func takeAvailable(max: Int) -> [Job] {
        condition.lock()
        defer { condition.unlock() }
        let count = Swift.min(max, jobs.count)
        let taken = Array(jobs.prefix(count))
        jobs.removeFirst(count)
        return taken
    }

    /// Refuses further jobs and wakes every waiting consumer; queued jobs are still handed out.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Starts a named Foundation thread running `body`; the returned completion says when it is done.
func startDedicatedThread(named name: String, _ body: @escaping @Sendable () -> Void) -> ThreadCompletion {
    let completion = ThreadCompletion()
    let thread = Thread {
        body()
        completion.markDone()
    }
    thread.name = name
    thread.start()
    return completion
}

/// Lets async code wait, without blocking, for a dedicated thread to finish.
final class ThreadCompletion: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    fileprivate func markDone() {
        lock.lock()
        done = true
        let toResume = waiters
        waiters = []
        lock.unlock()
        for waiter in toResume { waiter.resume() }
    }

    /// Returns once the thread has finished.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if done {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
