import FlotillaCore
import FlotillaStore
import Logging

/// The phases of the namespaces that exist, kept current by a store watch so that checking the
/// namespace of a create costs no store read.
///
/// The cache only accelerates positive answers: a namespace it does not know (one created an
/// instant ago whose event has not arrived yet) is looked up in the store.
final class NamespaceCache: Sendable {
    /// Whether a namespace accepts new objects.
    enum Phase: Sendable, Equatable {
        case active
        case terminating
    }

    static let prefix = "/registry/core/namespaces/"

    private let store: any Store
    private let logger: Logger
    private let state = Locked<(live: Bool, phases: [String: Phase])>((false, [:]))

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The phase of namespace `name`, or nil when it does not exist.
    func phase(of name: String) async throws -> Phase? {
        let cached = state.withLock { $0.live ? $0.phases[name] : nil }
        if let cached { return cached }
        guard let kv = try await store.get(Self.prefix + name) else { return nil }
        return Self.phase(ofStored: kv.value)
    }

    /// The names of the namespaces known to be terminating.
    var terminating: [String] {
        state.withLock { s in s.phases.filter { $0.value == .terminating }.map(\.key).sorted() }
    }

    /// Lists the namespaces, then follows their changes until the task is cancelled; relists
    /// after a watch failure.
    func follow() async {
        while !Task.isCancelled {
            do {
                let list = try await store.list(prefix: Self.prefix, after: nil, limit: 0, revision: nil)
                var phases: [String: Phase] = [:]
                for kv in list.items {
                    phases[String(kv.key.dropFirst(Self.prefix.count))] = Self.phase(ofStored: kv.value)
                }
                state.withLock { $0 = (true, phases) }
                let events = try await store.watch(prefix: Self.prefix, afterRevision: list.revision)
                for try await event in events {
                    let name = String(event.key.dropFirst(Self.prefix.count))
                    switch event {
                    case .put(let kv, _):
                        let phase = Self.phase(ofStored: kv.value)
                        state.withLock { $0.phases[name] = phase }
                    case .delete:
                        state.withLock { _ = $0.phases.removeValue(forKey: name) }
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
