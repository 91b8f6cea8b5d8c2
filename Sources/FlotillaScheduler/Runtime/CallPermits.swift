import FlotillaCore

/// A fixed number of permits for API calls in flight: ``acquire()`` waits while all are
/// taken, ``release()`` gives one back.
final class CallPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Locked<State>

    init(_ count: Int) {
        state = Locked(State(available: max(1, count)))
    }

    func acquire() async {
        let granted = state.withLock { s in
            guard s.available > 0 else { return false }
            s.available -= 1
            return true
        }
        if granted { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s in
                if s.available > 0 {
                    s.available -= 1
                    return true
                }
                s.waiters.append(waiter)
                return false
            }
            if granted { waiter.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.available += 1
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
