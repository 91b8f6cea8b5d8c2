/// The annotations Flotilla's agents set on their Node.
public enum NodeAnnotations {
    /// How the node runs containers: `cri`, `process` or `simulated`.
    public static let runtime = "flotilla.io/runtime"
    /// The PEM certificate of the agent's HTTPS endpoint, which the API server trusts for this
    /// node alone when it asks the agent for logs, exec, attach, port-forward and stats.
    public static let agentCertificate = "flotilla.io/agent-certificate"
}
