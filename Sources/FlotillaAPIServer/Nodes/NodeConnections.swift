import FlotillaAPI
import FlotillaCore

/// How the API server reaches node agents for what only a node has: container logs (and the
/// other pod connections). An agent in the same process registers its endpoints by node name.
public final class NodeConnections: Sendable {
    private let handlers = Locked<[String: any APIHandler]>([:])

    public init() {}

    /// Routes requests for node `name` to `handler` (the agent's ``APIHandler``).
    public func register(node name: String, handler: any APIHandler) {
        handlers.withLock { $0[name] = handler }
    }

    public func unregister(node name: String) {
        handlers.withLock { $0[name] = nil }
    }

    /// The agent endpoints of node `name`, if it can be reached.
    func handler(for name: String) -> (any APIHandler)? {
        handlers.withLock { $0[name] }
    }
}
