import FlotillaCore
import FlotillaStore
import Logging

/// The phases of the namespaces that exist, kept current by a store watch so that checking the
/// namespace of a create costs no store read.
///
/// The cache only accelerates positive answers: a namespace it does not know (one created an
/// instant ago whose event has not arrived yet) is looked up in the store. A namespace this
/// server changed itself is known at once, before its event arrives (``wrote(_:value:revision:)``),
/// so a create right after a namespace's deletion is refused; each name keeps the revision it
/// is known at, and an older event does not undo a newer write.
final class NamespaceCache: Sendable {
    /// Whether a namespace accepts new objects.
    enum Phase: Sendable, Equatable {
        case active
        case terminating
    }

    static let prefix = "/registry/core/namespaces/"

    private let store: any Store
    private let logger: Logger
    /// What is known of one namespace, and at which store revision.
    private struct Known: Sendable {
        var phase: Phase
        var revision: Int64
    }

    private let state = Locked<(live: Bool, known: [String: Known])>((false, [:]))

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The phase of namespace `name`, or nil when it does not exist.
    func phase(of name: String) async throws -> Phase? {
        let cached = state.withLock { $0.live ? $0.known[name]?.phase : nil }
        if let cached { return cached }
        guard let kv = try await store.get(Self.prefix + name) else { return nil }
        return Self.phase(ofStored: kv.value)
    }

    /// Whether the cache follows the store (listed, and its watch running).
    var isLive: Bool { state.withLock { $0.live } }

    /// The names of the namespaces known to be terminating.
    var terminating: [String] {
        state.withLock { s in s.known.filter { $0.value.phase == .terminating }.map(\.key).sorted() }
    }

    /// Records a namespace object this server has just written at `revision` (`value` nil when
    /// it was deleted). Keys outside the namespaces are ignored.
    func wrote(_ key: String, value: [UInt8]?, revision: Int64) {
        guard key.hasPrefix(Self.prefix) else { return }
        apply(name: String(key.dropFirst(Self.prefix.count)), phase: value.map(Self.phase(ofStored:)), revision: revision)
    }

    /// Sets what is known of namespace `name` (nil: it is gone), unless something newer is known.
    private func apply(name: String, phase: Phase?, revision: Int64) {
        state.withLock { s in
            if let known = s.known[name], known.revision >= revision { return }
            if let phase {
                s.known[name] = Known(phase: phase, revision: revision)
            } else {
                s.known.removeValue(forKey: name)
            }
        }
    }

    /// Lists the namespaces, then follows their changes until the task is cancelled; relists
    /// after a watch failure.
    func follow() async {
        while !Task.isCancelled {
            do {
                let list = try await store.list(prefix: Self.prefix, after: nil, limit: 0, revision: nil)
                var known: [String: Known] = [:]
                for kv in list.items {
                    known[String(kv.key.dropFirst(Self.prefix.count))] = Known(phase: Self.phase(ofStored: kv.value), revision: kv.modRevision)
                }
                state.withLock { $0 = (true, known) }
                let events = try await store.watch(prefix: Self.prefix, afterRevision: list.revision)
                for try await event in events {
                    let name = String(event.key.dropFirst(Self.prefix.count))
                    switch event {
                    case .put(let kv, _):
                        apply(name: name, phase: Self.phase(ofStored: kv.value), revision: kv.modRevision)
                    case .delete(_, let revision):
                        apply(name: name, phase: nil, revision: revision)
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("namespace watch failed; relisting", metadata: ["error": "\(error)"])
            }
            state.withLock { $0.live = false }
            try? await Task.sleep(for: .milliseconds(200))
        }
        state.withLock { $0.live = false }
    }

    /// The phase of a stored namespace object.
    static func phase(ofStored bytes: [UInt8]) -> Phase {
        guard let object = try? JSONParser.parse(bytes) else { return .active }
        return phase(of: object)
    }

    /// The phase of a namespace object: terminating once it has a deletion timestamp.
    static func phase(of object: JSON) -> Phase {
        if !object["metadata"]["deletionTimestamp"].isNull || object["status"]["phase"].string == "Terminating" {
            return .terminating
        }
        return .active
    }
}
