import Synchronization

/// Numbers unique within the process, for telling apart the waiters of a queue (`UUID()` reads
/// `/dev/urandom` for each one).
public enum UniqueID {
    private static let last = Atomic<UInt64>(0)

    /// A number no earlier call returned.
    public static func next() -> UInt64 {
        last.add(1, ordering: .relaxed).newValue
    }
}
