/// The kernel's connection tracking table, as the service proxy edits it; ``SystemConntrack``
/// runs the host's `conntrack`.
public protocol Conntrack: Sendable {
    /// Deletes the flows `deletion` matches; none matching is not an error.
    func delete(_ deletion: StaleUDPFlows.Deletion) async throws
}

/// The host's `conntrack` program (conntrack-tools).
public struct SystemConntrack: Conntrack {
    public init() {}

    public func delete(_ deletion: StaleUDPFlows.Deletion) async throws {
        // Status 1: no flow matched.
        _ = try await NetworkCommand.execute("conntrack", deletion.arguments, input: nil, tolerating: [1])
    }
}
