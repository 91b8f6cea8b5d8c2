import FlotillaCore
import Foundation

/// A queue of keys (usually `namespace/name`) for a controller's workers.
///
/// - A key waiting in the queue is there once, however often it is added.
/// - A key is never handed to two workers at once: a key added while a worker processes it is
///   handed out again after that worker calls ``done(_:)``.
/// - ``addAfter(_:delay:)`` adds a key later (the earliest pending time wins);
///   ``addRateLimited(_:)`` adds it after a per-key exponential back-off that grows with each
///   failure until ``forget(_:)``.
/// - After ``shutdown()``, ``next()`` returns nil and additions are ignored.
///
/// ```swift
/// let queue = WorkQueue<String>()
/// informer.onAdd { queue.add(ObjectCache.key(for: $0)) }
/// await queue.runWorkers(2) { key in try await reconcile(key) }
/// ```
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct State {
        /// Keys ready to hand out, in order; `ready[head...]` are live.
        var ready: [Key] = []
        var head = 0
        /// Keys that need processing (queued, or re-added while processing).
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Key?, Never>)] = []
        var failures: [Key: Int] = [:]
        var delayed: [Key: (deadline: ContinuousClock.Instant, timer: Task<Void, Never>)] = [:]
        var shuttingDown = false

        mutating func push(_ key: Key) { ready.append(key) }

        mutating func pop() -> Key? {
            guard head < ready.count else { return nil }
            let key = ready[head]
            head += 1
            if head > 64 && head * 2 > ready.count {
                ready.removeFirst(head)
                head = 0
            }
            dirty.remove(key)
            processing.insert(key)
            return key
        }

        var readyCount: Int { ready.count - head }

        /// Pairs waiting workers with ready keys.
        mutating func handOut() -> [(CheckedContinuation<Key?, Never>, Key)] {
            var out: [(CheckedContinuation<Key?, Never>, Key)] = []
            while !waiters.isEmpty, let key = pop() {
                out.append((waiters.removeFirst().continuation, key))
            }
            return out
        }
    }

    private let state = Locked(State())
    private let retryBackoff: Backoff

    /// - Parameter retryBackoff: the per-key delays of ``addRateLimited(_:)`` (its jitter is
    ///   not used); by default 5 ms doubling up to 1000 s.
    public init(retryBackoff: Backoff = Backoff(initial: .milliseconds(5), maximum: .seconds(1000))) {
        self.retryBackoff = retryBackoff
    }

    /// Marks `key` as needing processing.
    public func add(_ key: Key) {
        let handOut = state.withLock { s -> [(CheckedContinuation<Key?, Never>, Key)] in
            guard !s.shuttingDown, s.dirty.insert(key).inserted else { return [] }
            if s.processing.contains(key) { return [] }
            s.push(key)
            return s.handOut()
        }
        for (waiter, key) in handOut { waiter.resume(returning: key) }
    }

    /// Adds `key` once `delay` has passed. If the key is already due earlier, nothing changes.
    public func addAfter(_ key: Key, delay: Duration) {
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now + delay
        state.withLock { s in
            guard !s.shuttingDown else { return }
            if let pending = s.delayed[key] {
                if pending.deadline <= deadline { return }
                pending.timer.cancel()
            }
            let timer = Task { [weak self] in
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                self?.fire(key, deadline: deadline)
            }
            s.delayed[key] = (deadline, timer)
        }
    }

    private func fire(_ key: Key, deadline: ContinuousClock.Instant) {
        let due = state.withLock { s in
            guard s.delayed[key]?.deadline == deadline else { return false }
            s.delayed[key] = nil
            return true
        }
        if due { add(key) }
    }

    /// Adds `key` after its back-off, which doubles with each call until ``forget(_:)``.
    public func addRateLimited(_ key: Key) {
        let attempt = state.withLock { s in
            defer { s.failures[key, default: 0] += 1 }
            return s.failures[key, default: 0]
        }
        addAfter(key, delay: retryBackoff.baseDelay(attempt: attempt))
    }

    /// Clears `key`'s failure count, so its next ``addRateLimited(_:)`` waits the shortest delay.
    public func forget(_ key: Key) {
        state.withLock { _ = $0.failures.removeValue(forKey: key) }
    }

    /// How many times `key` was added rate-limited since it was last forgotten.
    public func retries(_ key: Key) -> Int {
        state.withLock { $0.failures[key, default: 0] }
    }

    /// The next key to process, waiting for one; nil once the queue is shut down or the
    /// calling task is cancelled. Call ``done(_:)`` when finished with it.
    public func next() async -> Key? {
        let id = UniqueID.next()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Key?, Never>) in
                let immediate: Key?? = state.withLock { s in
                    if s.shuttingDown || Task.isCancelled { return .some(nil) }
                    if let key = s.pop() { return .some(key) }
                    s.waiters.append((id, waiter))
                    return .none
                }
                if let immediate { waiter.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Key?, Never>? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Ends the processing of `key`; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        let handOut = state.withLock { s -> [(CheckedContinuation<Key?, Never>, Key)] in
            guard s.processing.remove(key) != nil else { return [] }
            guard s.dirty.contains(key), !s.shuttingDown else { return [] }
            s.push(key)
            return s.handOut()
        }
        for (waiter, key) in handOut { waiter.resume(returning: key) }
    }

    /// Stops the queue: waiting and later ``next()`` calls return nil; pending and delayed
    /// keys are dropped.
    public func shutdown() {
        let waiters = state.withLock { s in
            s.shuttingDown = true
            for pending in s.delayed.values { pending.timer.cancel() }
            s.delayed = [:]
            s.ready = []
            s.head = 0
            s.dirty = []
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Keys ready to be handed out now.
    public var count: Int { state.withLock { $0.readyCount } }

    /// Keys waiting for their ``addAfter(_:delay:)`` time.
    public var delayedCount: Int { state.withLock { $0.delayed.count } }

    /// Runs `workers` workers that each take keys and call `process`, until the queue shuts
    /// down or the calling task is cancelled (which shuts the queue down). A key whose
    /// processing throws is retried rate-limited; one that succeeds is forgotten.
    public func runWorkers(_ workers: Int, _ process: @escaping @Sendable (Key) async throws -> Void) async {
        await withTaskCancellationHandler {
            await work(workers, process)
        } onCancel: {
            shutdown()
        }
    }

    private func work(_ workers: Int, _ process: @escaping @Sendable (Key) async throws -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while let key = await self.next() {
                        do {
                            try await process(key)
                            self.forget(key)
                        } catch {
                            self.addRateLimited(key)
                        }
                        self.done(key)
                    }
                }
            }
        }
    }
}
