import FlotillaCore
import Synchronization

/// One watcher's bounded inbox of live events for the keys under a prefix.
///
/// The writer offers events without ever blocking. While the watcher still replays history
/// (``isReplaying``), an overflowing inbox drops its oldest events and remembers that it did, so
/// the replay reads the store again; once live, an overflowing inbox fails the watcher with
/// `.expired` (it fell too far behind and must relist).
final class WatchSubscription: Sendable {
    let prefix: String
    private let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var events: [WatchEvent] = []
        var head = 0
        var replaying: Bool
        var droppedWhileReplaying = false
        var failure: FlotillaError?
        var ended = false
        var waiter: CheckedContinuation<Void, Never>?

        var count: Int { events.count - head }

        mutating func compactStorage() {
            if head > 1024 && head * 2 > events.count {
                events.removeFirst(head)
                head = 0
            }
        }
    }

    /// A watcher that starts live (`replaying: false`) has no history to read first.
    init(prefix: String, capacity: Int, replaying: Bool) {
        self.prefix = prefix
        self.capacity = capacity
        self.state = Mutex(State(replaying: replaying))
    }

    /// Adds the events of `batch` under this watcher's prefix. Returns false once the watcher
    /// is finished (failed, ended or cancelled) and should be forgotten.
    func offer(_ batch: [WatchEvent]) -> Bool {
        let (keep, waiter) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            if s.failure != nil || s.ended { return (false, nil) }
            var added = false
            for event in batch where event.key.hasBytePrefix(prefix) {
                if s.count >= capacity {
                    if s.replaying {
                        s.head += 1
                        s.droppedWhileReplaying = true
                    } else {
                        s.failure = .expired("the watch fell too far behind; relist and watch again")
                        s.events = []
                        s.head = 0
                        let waiter = s.waiter
                        s.waiter = nil
                        return (false, waiter)
                    }
                }
                s.events.append(event)
                added = true
            }
            s.compactStorage()
            guard added, let waiter = s.waiter else { return (true, nil) }
            s.waiter = nil
            return (true, waiter)
        }
        waiter?.resume()
        return keep
    }

    /// Ends the replay phase if no event was dropped since the last call; returns whether it did.
    /// When it returns false the caller must read the store's history again.
    func finishReplay() -> Bool {
        state.withLock { s in
            if s.droppedWhileReplaying {
                s.droppedWhileReplaying = false
                return false
            }
            s.replaying = false
            return true
        }
    }

    /// Ends the watch normally: the watcher gets its buffered events, then the end of the stream.
    func end() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.ended = true
            let waiter = s.waiter
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// The next live event; nil when the watch ended or the task was cancelled. Throws
    /// `.expired` when the watcher fell behind.
    func next() async throws -> WatchEvent? {
        while true {
            let taken = try state.withLock { s -> WatchEvent?? in
                if let failure = s.failure { throw failure }
                if s.count > 0 {
                    let event = s.events[s.head]
                    s.head += 1
                    if s.count == 0 {
                        s.events.removeAll(keepingCapacity: true)
                        s.head = 0
                    }
                    return .some(event)
                }
                if s.ended { return .some(nil) }
                return nil
            }
            if let taken { return taken }
            if Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { s -> Bool in
                        if s.count > 0 || s.ended || s.failure != nil || Task.isCancelled { return true }
                        s.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                    let waiter = s.waiter
                    s.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
            if Task.isCancelled { return nil }
        }
    }
}
