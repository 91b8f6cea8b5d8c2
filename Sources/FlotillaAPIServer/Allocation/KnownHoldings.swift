import FlotillaCore

/// What one server knows to be taken in a range that hands out its lowest free value, so that a
/// pick does not read every allocation key (which made registering N nodes cost N² key reads).
///
/// The store stays the authority: a value is taken only by creating its key, and a value this
/// cache thinks free but another server took is learnt when that create fails. Values other
/// servers give back are learnt when the cache is reloaded: when it is older than ``maxAge``, or
/// when it sees nothing free.
final class KnownHoldings: Sendable {
    /// How long a load of the allocation keys is trusted for values given back elsewhere.
    static let maxAge: Duration = .seconds(30)

    private struct State {
        var taken: Set<UInt32> = []
        /// Every offset below it is in `taken`.
        var floor: UInt32 = 0
        var loadedAt: ContinuousClock.Instant?
    }

    private let state = Locked(State())

    /// Whether the cache must be loaded before it is used.
    var isStale: Bool {
        state.withLock { state in
            guard let loadedAt = state.loadedAt else { return true }
            return ContinuousClock.now - loadedAt > Self.maxAge
        }
    }

    /// Replaces what is known with `taken`, read from the store just now.
    func load(_ taken: Set<UInt32>) {
        state.withLock { state in
            state = State(taken: taken, floor: 0, loadedAt: .now)
            Self.raiseFloor(&state)
        }
    }

    /// The lowest offset below `count` not known to be taken and in neither `skipping` set.
    func lowestFree(below count: UInt32, skipping reserved: Set<UInt32>, _ excluded: Set<UInt32>) -> UInt32? {
        state.withLock { state in
            var offset = state.floor
            while offset < count {
                if !state.taken.contains(offset), !reserved.contains(offset), !excluded.contains(offset) { return offset }
                offset += 1
            }
            return nil
        }
    }

    /// Records that `offset` is taken.
    func taken(_ offset: UInt32) {
        state.withLock { state in
            state.taken.insert(offset)
            Self.raiseFloor(&state)
        }
    }

    /// Records that `offset` was given back.
    func released(_ offset: UInt32) {
        state.withLock { state in
            state.taken.remove(offset)
            state.floor = min(state.floor, offset)
        }
    }

    private static func raiseFloor(_ state: inout State) {
        while state.taken.contains(state.floor) { state.floor += 1 }
    }
}
