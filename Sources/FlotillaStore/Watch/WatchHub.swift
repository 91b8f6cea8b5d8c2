import Synchronization

/// In-process fan-out of committed events to every watcher whose prefix matches.
final class WatchHub: Sendable {
    /// How many undelivered events a watcher may hold before it is dropped with `.expired`.
    let capacity: Int
    private let subscriptions = Mutex<[ObjectIdentifier: WatchSubscription]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Registers a new watcher for keys under `prefix`, in its replay phase unless it starts live.
    func subscribe(prefix: String, replaying: Bool) -> WatchSubscription {
        let subscription = WatchSubscription(prefix: prefix, capacity: capacity, replaying: replaying)
        subscriptions.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func remove(_ subscription: WatchSubscription) {
        _ = subscriptions.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    /// Hands `events` (in revision order) to every watcher; never blocks on a slow one.
    func publish(_ events: [WatchEvent]) {
        guard !events.isEmpty else { return }
        let current = subscriptions.withLock { Array($0.values) }
        for subscription in current where !subscription.offer(events) {
            remove(subscription)
        }
    }

    /// Ends every watch (on close).
    func endAll() {
        let all = subscriptions.withLock { subs -> [WatchSubscription] in
            let all = Array(subs.values)
            subs.removeAll()
            return all
        }
        for subscription in all { subscription.end() }
    }

    /// How many watchers are registered.
    var count: Int { subscriptions.withLock { $0.count } }
}
