import FlotillaCore
import FlotillaStore
import Logging

/// Which namespaces hold ResourceQuotas and LimitRanges, kept current by store watches, so that
/// admitting a write to a namespace without any costs no store read.
///
/// The index only spares reads it knows to be empty: until its first list (and after a watch
/// failure, until the relist) every namespace may hold policies, and a namespace where this
/// server is writing one is noted at once, before the watch brings the event.
final class AdmissionPolicyIndex: Sendable {
    /// A kind of policy object the index follows.
    enum Kind: String, Sendable, CaseIterable {
        case resourceQuotas = "resourcequotas"
        case limitRanges = "limitranges"

        /// Where the store keeps them.
        var prefix: String { "/registry/core/\(rawValue)/" }
    }

    private let store: any Store
    private let logger: Logger
    /// Per kind: whether the watch is live, and each namespace's object names.
    private let state = Locked<[Kind: (live: Bool, names: [String: Set<String>])]>([:])

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Whether `namespace` may hold objects of `kind`: false only when the index knows it holds none.
    func mayHave(_ kind: Kind, in namespace: String) -> Bool {
        state.withLock { s in
            guard let known = s[kind], known.live else { return true }
            return !(known.names[namespace] ?? []).isEmpty
        }
    }

    /// Notes that an object of `kind` is being written to `namespace`.
    func note(_ kind: Kind, in namespace: String) {
        state.withLock { _ = $0[kind, default: (false, [:])].names[namespace, default: []].insert("") }
    }

    /// Follows both kinds until the task is cancelled.
    func follow() async {
        await withTaskGroup(of: Void.self) { group in
            for kind in Kind.allCases { group.addTask { await self.follow(kind) } }
        }
    }

    /// Lists the objects of `kind`, then follows their changes; relists after a watch failure.
    private func follow(_ kind: Kind) async {
        while !Task.isCancelled {
            do {
                let list = try await store.list(prefix: kind.prefix, after: nil, limit: 0, revision: nil)
                var names: [String: Set<String>] = [:]
                for kv in list.items {
                    let (namespace, name) = Self.split(kv.key, kind)
                    names[namespace, default: []].insert(name)
                }
                state.withLock { $0[kind] = (true, names) }
                for try await event in try await store.watch(prefix: kind.prefix, afterRevision: list.revision) {
                    let (namespace, name) = Self.split(event.key, kind)
                    state.withLock { s in
                        switch event {
                        case .put: _ = s[kind]?.names[namespace, default: []].insert(name)
                        case .delete: _ = s[kind]?.names[namespace]?.remove(name)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning("policy watch failed; relisting", metadata: ["kind": "\(kind.rawValue)", "error": "\(error)"])
            }
            state.withLock { $0[kind]?.live = false }
            try? await Task.sleep(for: .milliseconds(200))
        }
        state.withLock { $0[kind]?.live = false }
    }

    /// The namespace and name of a stored object's key.
    private static func split(_ key: String, _ kind: Kind) -> (namespace: String, name: String) {
        let rest = key.dropFirst(kind.prefix.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        return (String(rest[..<slash]), String(rest[slash...].dropFirst()))
    }
}
