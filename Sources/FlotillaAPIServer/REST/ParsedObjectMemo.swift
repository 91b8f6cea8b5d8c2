import FlotillaCore
import Synchronization

/// The parsed forms of recently stored object versions, shared by every watch.
///
/// A watch with a label or field selector must parse each changed object (and its previous
/// version) to tell whether it sees the change. Without this memo every such watch parses
/// every change again; with it, one change is parsed once for all of them, and the previous
/// version, usually parsed when it was itself the change, is found here. Versions are named by
/// key and revision, which never name two different contents; the oldest are forgotten first.
final class ParsedObjectMemo: Sendable {
    private struct Version: Hashable {
        var key: String
        var revision: Int64
    }

    private struct State {
        var objects: [Version: JSON] = [:]
        /// The remembered versions, oldest first from `next`.
        var order: [Version?]
        var next = 0
    }

    private let state: Mutex<State>

    /// Remembers the parsed forms of at most `capacity` versions.
    init(capacity: Int) {
        state = Mutex(State(order: Array(repeating: nil, count: max(1, capacity))))
    }

    /// The parsed object stored under `key` at `revision`, whose stored bytes are `bytes`.
    func object(key: String, revision: Int64, bytes: [UInt8]) throws -> JSON {
        let version = Version(key: key, revision: revision)
        if let known = state.withLock({ $0.objects[version] }) { return known }
        let parsed = try JSONParser.parse(bytes)
        state.withLock { s in
            guard s.objects.updateValue(parsed, forKey: version) == nil else { return }
            if let evicted = s.order[s.next] { s.objects[evicted] = nil }
            s.order[s.next] = version
            s.next = (s.next + 1) % s.order.count
        }
        return parsed
    }

    /// How many versions are remembered.
    var count: Int { state.withLock { $0.objects.count } }
}
