import FlotillaAPI
import FlotillaCore
import Logging

/// How the API server reaches node agents for what only a node has: container logs, exec,
/// attach, port-forward and resource usage.
///
/// An agent in the same process registers its endpoints by node name. Any other agent is
/// reached over HTTPS at its Node's InternalIP and `status.daemonEndpoints.kubeletEndpoint.Port`,
/// trusting only the certificate its Node publishes (`NodeAnnotations.agentCertificate`) and
/// presenting the API server's agent client certificate (``useClientCertificate(certificatePEM:keyPEM:)``).
public final class NodeConnections: Sendable {
    private let handlers = Locked<[String: any APIHandler]>([:])
    private let clientCertificate = Locked<(certificatePEM: String, keyPEM: String)?>(nil)
    /// Remote agents by node name, with the endpoint they were made for.
    private let remotes = Locked<[String: RemoteAgent]>([:])

    public init() {}

    /// Routes requests for node `name` to `handler` (the agent's ``APIHandler``).
    public func register(node name: String, handler: any APIHandler) {
        handlers.withLock { $0[name] = handler }
    }

    public func unregister(node name: String) {
        handlers.withLock { $0[name] = nil }
    }

    /// The client certificate (signed by the cluster CA for client authentication) presented to
    /// remote agents; without one, only agents in this process can be reached.
    public func useClientCertificate(certificatePEM: String, keyPEM: String) {
        clientCertificate.withLock { $0 = (certificatePEM, keyPEM) }
    }

    /// Closes the connections to remote agents.
    public func shutdown() async {
        let all = remotes.withLock { remotes in
            defer { remotes = [:] }
            return Array(remotes.values)
        }
        for remote in all { await remote.shutdown() }
    }

    /// The in-process agent of node `name`, if one registered.
    func registeredHandler(for name: String) -> (any APIHandler)? {
        handlers.withLock { $0[name] }
    }

    /// The agent of `node` (a Node object): the in-process one, else its HTTPS endpoint when the
    /// Node publishes one and the server has a client certificate; nil when it cannot be reached.
    func handler(for node: JSON) throws -> (any APIHandler)? {
        guard let name = node["metadata"]["name"].string else { return nil }
        if let handler = registeredHandler(for: name) { return handler }
        guard let endpoint = RemoteAgent.Endpoint(node: node), let client = clientCertificate.withLock({ $0 }) else { return nil }
        var replaced: RemoteAgent?
        let remote: RemoteAgent = try remotes.withLock { remotes in
            if let existing = remotes[name], existing.endpoint == endpoint { return existing }
            replaced = remotes[name]
            let made = try RemoteAgent(endpoint: endpoint, clientCertificatePEM: client.certificatePEM, clientKeyPEM: client.keyPEM)
            remotes[name] = made
            return made
        }
        if let replaced { Task { await replaced.shutdown() } }
        return remote
    }
}
