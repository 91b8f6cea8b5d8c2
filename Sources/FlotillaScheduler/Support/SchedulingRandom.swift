/// The random numbers a scheduler breaks ties and picks preemption candidates with:
/// SplitMix64, seeded once from the system (or fixed, for tests). Cheap enough to draw for
/// every tied node; the system generator would cost a system call per draw.
public struct SchedulingRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator seeded from the system's random source.
    public init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// A generator that repeats the same sequence for the same seed.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
