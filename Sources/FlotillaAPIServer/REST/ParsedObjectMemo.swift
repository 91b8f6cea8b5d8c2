import FlotillaCore
import Synchronization

/// The parsed forms of recently written or read object versions, shared by every watch and
/// every write.
///
/// A watch with a label or field selector must parse each changed object (and its previous
/// version), an in-process watch hands out objects, and an update or binding parses the object
/// it changes. Without this memo each of them parses the same stored bytes again; with it, a
/// version is parsed at most once, and a version the server wrote itself is never parsed: the
/// write leaves the object it serialised here (``remember(_:key:bytes:)``) before the store
/// publishes it. Versions are named by key and stored bytes, which is exact whatever the
/// revision (a write the store refused leaves an entry no one asks for); the oldest are
/// forgotten first.
final class ParsedObjectMemo: Sendable {
    private struct Version: Hashable {
        var key: String
        var bytes: [UInt8]

        /// The key, the length and the last bytes (where a status, the part that changes most,
        /// is serialised): cheaper than hashing kilobytes, and equality still compares all.
        func hash(into hasher: inout Hasher) {
            hasher.combine(key)
            hasher.combine(bytes.count)
            bytes.withUnsafeBytes { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0.suffix(Self.hashedSuffix))) }
        }

        static let hashedSuffix = 128
    }

    private struct State {
        var objects: [Version: JSON] = [:]
        /// The remembered versions, oldest first from `next` (nil where one was let go early).
        var order: [Version?]
        var next = 0
        /// The stored bytes of the remembered versions.
        var bytes = 0

        mutating func forget(at slot: Int) {
            guard let version = order[slot] else { return }
            objects[version] = nil
            bytes -= version.bytes.count
            order[slot] = nil
        }
    }

    private let state: Mutex<State>
    private let byteBudget: Int

    /// Remembers the parsed forms of at most `capacity` versions whose stored bytes add up to at
    /// most `byteBudget` (the parsed trees take a few times more): a burst of large objects
    /// pushes the oldest out early instead of holding thousands of them.
    init(capacity: Int, byteBudget: Int = 32 << 20) {
        state = Mutex(State(order: Array(repeating: nil, count: max(1, capacity))))
        self.byteBudget = byteBudget
    }

    /// The parsed object stored under `key` as `bytes`.
    func object(key: String, bytes: [UInt8]) throws -> JSON {
        let version = Version(key: key, bytes: bytes)
        if let known = state.withLock({ $0.objects[version] }) { return known }
        let parsed = try JSONParser.parse(bytes)
        insert(parsed, version)
        return parsed
    }

    /// Remembers that `bytes`, about to be stored under `key`, are the serialisation of `object`.
    func remember(_ object: JSON, key: String, bytes: [UInt8]) {
        insert(object, Version(key: key, bytes: bytes))
    }

    private func insert(_ object: JSON, _ version: Version) {
        state.withLock { s in
            guard s.objects.updateValue(object, forKey: version) == nil else { return }
            s.forget(at: s.next)
            s.order[s.next] = version
            s.bytes += version.bytes.count
            let newest = s.next
            s.next = (s.next + 1) % s.order.count
            var oldest = s.next
            while s.bytes > byteBudget, oldest != newest {
                s.forget(at: oldest)
                oldest = (oldest + 1) % s.order.count
            }
        }
    }

    /// How many versions are remembered.
    var count: Int { state.withLock { $0.objects.count } }
}
