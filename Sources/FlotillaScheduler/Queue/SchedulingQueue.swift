import FlotillaCore
import Foundation

/// The pods waiting to be scheduled, as kube-scheduler keeps them:
///
/// - an **active queue**, highest priority first, then oldest first;
/// - a **back-off queue** of pods that failed recently, each waiting 1 s doubling per attempt
///   up to 10 s before it is active again;
/// - an **unschedulable set** of pods that fit nowhere, moved back when something that could
///   help happens (a node added or changed, a pod deleted: ``moveAllToActiveOrBackoff()``),
///   and in any case after ``unschedulableTimeout``.
///
/// A pod handed out by ``pop()`` is *in flight* until the scheduler requeues it or calls
/// ``done(_:)``; updates and deletions that arrive meanwhile are kept for then. A move request
/// while a pod is in flight sends it to back-off rather than the unschedulable set, so no
/// cluster change is missed.
public final class SchedulingQueue: Sendable {
    /// A pod in the queue with its scheduling history.
    public struct Entry: Sendable {
        public var pod: PodInfo
        /// Failed scheduling attempts so far.
        public var attempts: Int
        /// When the pod was last queued (orders pods of equal priority).
        public var queuedAt: ContinuousClock.Instant
        /// The scheduling cycle that popped it.
        public var cycle: Int
    }

    private struct ActiveItem: Comparable {
        let priority: Int32
        let queuedAt: ContinuousClock.Instant
        let sequence: Int
        let key: String
        static func < (a: ActiveItem, b: ActiveItem) -> Bool {
            if a.priority != b.priority { return a.priority > b.priority }
            if a.queuedAt != b.queuedAt { return a.queuedAt < b.queuedAt }
            return a.sequence < b.sequence
        }
    }

    private struct BackoffItem: Comparable {
        let until: ContinuousClock.Instant
        let sequence: Int
        let key: String
        static func < (a: BackoffItem, b: BackoffItem) -> Bool {
            a.until != b.until ? a.until < b.until : a.sequence < b.sequence
        }
    }

    private enum Place { case active(sequence: Int), backoff(sequence: Int), unschedulable(since: ContinuousClock.Instant), inFlight }

    /// Moves a key to a place (nil: out of the queue), keeping the unschedulable set in step.
    private func move(_ key: String, to place: Place?, _ s: inout State) {
        s.places[key] = place
        if case .unschedulable? = place { s.unschedulable.insert(key) } else { s.unschedulable.remove(key) }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var places: [String: Place] = [:]
        var active = BinaryHeap<ActiveItem>()
        var backoff = BinaryHeap<BackoffItem>()
        var sequence = 0
        var schedulingCycle = 0
        var moveRequestCycle = -1
        /// The keys whose place is `.unschedulable`.
        var unschedulable: Set<String> = []
        /// Pods deleted while in flight (not to be requeued).
        var deletedInFlight: Set<String> = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Entry?, Never>)] = []
        var closed = false
    }

    private let state = Locked(State())
    private let now: @Sendable () -> ContinuousClock.Instant
    public let initialBackoff: Duration
    public let maximumBackoff: Duration
    public let unschedulableTimeout: Duration

    /// - Parameters:
    ///   - now: the clock (tests pass their own).
    public init(
        initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(10),
        unschedulableTimeout: Duration = .seconds(60), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.unschedulableTimeout = unschedulableTimeout
        self.now = now
    }

    // MARK: - Informer events

    /// A pending pod appeared or changed. A changed pod in the unschedulable set goes back to
    /// the queue when something scheduling depends on changed; otherwise it only replaces the
    /// stored copy.
    public func addOrUpdate(_ pod: PodInfo) {
        let handOut = state.withLock { s -> [(CheckedContinuation<Entry?, Never>, Entry)] in
            guard !s.closed else { return [] }
            let time = now()
            guard var entry = s.entries[pod.key], let current = s.places[pod.key] else {
                s.entries[pod.key] = Entry(pod: pod, attempts: 0, queuedAt: time, cycle: 0)
                s.deletedInFlight.remove(pod.key)
                pushActive(pod.key, &s)
                return pairWaiters(&s)
            }
            let changed = entry.pod.schedulingHash != pod.schedulingHash
            if entry.pod.uid != pod.uid { s.deletedInFlight.remove(pod.key) }
            entry.pod = pod
            s.entries[pod.key] = entry
            switch current {
            case .active:
                pushActive(pod.key, &s)
            case .unschedulable where changed:
                if backoffExpiry(entry) > time { pushBackoff(pod.key, &s) } else { pushActive(pod.key, &s) }
            default:
                break
            }
            return pairWaiters(&s)
        }
        resume(handOut)
    }

    /// A pod was deleted, bound by someone else, or handed to another scheduler.
    public func remove(key: String) {
        state.withLock { s in
            if case .inFlight? = s.places[key] {
                s.deletedInFlight.insert(key)
                return
            }
            s.entries[key] = nil
            move(key, to: nil, &s)
        }
    }

    // MARK: - Scheduling

    /// The next pod to schedule, waiting for one; nil once the queue is closed or the task is
    /// cancelled.
    public func pop() async -> Entry? {
        let ready: Entry?? = state.withLock { s in
            if s.closed { return .some(nil) }
            return popActive(&s).map { .some($0) } ?? .none
        }
        if let ready { return ready }
        let id = UniqueID.next()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Entry?, Never>) in
                let immediate: Entry?? = state.withLock { s in
                    if s.closed || Task.isCancelled { return .some(nil) }
                    if let entry = popActive(&s) { return .some(entry) }
                    s.waiters.append((id, waiter))
                    return .none
                }
                if let immediate { waiter.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Entry?, Never>? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// The pod was placed (or left for good): it leaves the queue.
    public func done(_ key: String) {
        state.withLock { s in
            s.entries[key] = nil
            move(key, to: nil, &s)
            s.deletedInFlight.remove(key)
        }
    }

    /// The pod fits nowhere: it waits in the unschedulable set, or in back-off when the
    /// cluster changed while it was being scheduled.
    public func requeueUnschedulable(_ key: String) {
        requeue(key) { s, entry in
            if s.moveRequestCycle >= entry.cycle {
                pushBackoff(key, &s)
            } else {
                move(key, to: .unschedulable(since: now()), &s)
            }
        }
    }

    /// The pod failed for another reason (a binding error): it waits out its back-off.
    public func requeueBackoff(_ key: String) {
        requeue(key) { s, _ in pushBackoff(key, &s) }
    }

    private func requeue(_ key: String, _ decide: (inout State, Entry) -> Void) {
        let handOut = state.withLock { s -> [(CheckedContinuation<Entry?, Never>, Entry)] in
            guard case .inFlight? = s.places[key], var entry = s.entries[key] else { return [] }
            if s.deletedInFlight.remove(key) != nil || s.closed {
                s.entries[key] = nil
                move(key, to: nil, &s)
                return []
            }
            entry.attempts += 1
            entry.queuedAt = now()
            s.entries[key] = entry
            decide(&s, entry)
            return pairWaiters(&s)
        }
        resume(handOut)
    }

    /// Something changed that could let unschedulable pods fit: each goes to the active queue,
    /// or to back-off if its back-off has not run out.
    public func moveAllToActiveOrBackoff() {
        let handOut = state.withLock { s -> [(CheckedContinuation<Entry?, Never>, Entry)] in
            s.moveRequestCycle = s.schedulingCycle
            let time = now()
            for key in s.unschedulable {
                guard let entry = s.entries[key] else { continue }
                if backoffExpiry(entry) > time { pushBackoff(key, &s) } else { pushActive(key, &s) }
            }
            return pairWaiters(&s)
        }
        resume(handOut)
    }

    /// Moves pods whose back-off ran out to the active queue. The scheduler calls it often.
    public func flushBackoff() {
        let handOut = state.withLock { s -> [(CheckedContinuation<Entry?, Never>, Entry)] in
            let time = now()
            while let first = s.backoff.first, first.until <= time {
                _ = s.backoff.pop()
                guard case .backoff(let sequence)? = s.places[first.key], sequence == first.sequence else { continue }
                pushActive(first.key, &s)
            }
            return pairWaiters(&s)
        }
        resume(handOut)
    }

    /// Moves pods unschedulable for longer than ``unschedulableTimeout`` back to the queue (to
    /// back-off if theirs has not run out). The scheduler calls it every few seconds.
    public func flushUnschedulable() {
        let handOut = state.withLock { s -> [(CheckedContinuation<Entry?, Never>, Entry)] in
            let time = now()
            for key in s.unschedulable {
                guard case .unschedulable(let since)? = s.places[key], time - since >= unschedulableTimeout, let entry = s.entries[key]
                else { continue }
                if backoffExpiry(entry) > time { pushBackoff(key, &s) } else { pushActive(key, &s) }
            }
            return pairWaiters(&s)
        }
        resume(handOut)
    }

    /// Stops the queue: waiting and later ``pop()`` calls return nil.
    public func close() {
        let waiters = state.withLock { s in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    // MARK: - Inspection

    /// How many pods wait in each part of the queue.
    public var counts: (active: Int, backoff: Int, unschedulable: Int, inFlight: Int) {
        state.withLock { s in
            var counts = (active: 0, backoff: 0, unschedulable: 0, inFlight: 0)
            for place in s.places.values {
                switch place {
                case .active: counts.active += 1
                case .backoff: counts.backoff += 1
                case .unschedulable: counts.unschedulable += 1
                case .inFlight: counts.inFlight += 1
                }
            }
            return counts
        }
    }

    /// The back-off a pod waits after `attempts` failures: 1 s doubling, at most 10 s.
    public func backoff(attempts: Int) -> Duration {
        guard attempts > 0 else { return .zero }
        var delay = initialBackoff
        for _ in 1..<attempts where delay < maximumBackoff { delay = delay * 2 }
        return min(delay, maximumBackoff)
    }

    // MARK: - Internals (under the lock)

    private func backoffExpiry(_ entry: Entry) -> ContinuousClock.Instant {
        entry.queuedAt + backoff(attempts: entry.attempts)
    }

    private func pushActive(_ key: String, _ s: inout State) {
        guard let entry = s.entries[key] else { return }
        s.sequence += 1
        move(key, to: .active(sequence: s.sequence), &s)
        s.active.push(ActiveItem(priority: entry.pod.priority, queuedAt: entry.queuedAt, sequence: s.sequence, key: key))
    }

    private func pushBackoff(_ key: String, _ s: inout State) {
        guard let entry = s.entries[key] else { return }
        s.sequence += 1
        move(key, to: .backoff(sequence: s.sequence), &s)
        s.backoff.push(BackoffItem(until: backoffExpiry(entry), sequence: s.sequence, key: key))
    }

    private func popActive(_ s: inout State) -> Entry? {
        while let item = s.active.pop() {
            guard case .active(let sequence)? = s.places[item.key], sequence == item.sequence, var entry = s.entries[item.key] else {
                continue
            }
            s.schedulingCycle += 1
            entry.cycle = s.schedulingCycle
            s.entries[item.key] = entry
            move(item.key, to: .inFlight, &s)
            return entry
        }
        return nil
    }

    private func pairWaiters(_ s: inout State) -> [(CheckedContinuation<Entry?, Never>, Entry)] {
        var out: [(CheckedContinuation<Entry?, Never>, Entry)] = []
        while !s.waiters.isEmpty, let entry = popActive(&s) {
            out.append((s.waiters.removeFirst().continuation, entry))
        }
        return out
    }

    private func resume(_ handOut: [(CheckedContinuation<Entry?, Never>, Entry)]) {
        for (waiter, entry) in handOut { waiter.resume(returning: entry) }
    }
}
