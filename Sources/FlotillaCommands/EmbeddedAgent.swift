import FlotillaAgent
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The agent `flotilla server` runs for its own node. Its failure (no root, no containerd) is
/// told and leaves the control plane serving: pods then run only on other agents' nodes.
struct EmbeddedAgent: Service {
    let agent: NodeAgent
    let logger: Logger

    /// The agent as a service of the server's group, whose ending (normal or not) does not end the group.
    static func configuration(_ agent: NodeAgent, logger: Logger) -> ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: EmbeddedAgent(agent: agent, logger: logger), successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)
    }

    func run() async throws {
        guard geteuid() == 0 else {
            logger.warning("the embedded agent needs root to run containers; this node runs no pods (start the server as root, or with --disable-agent)")
            return
        }
        do {
            try await agent.run()
        } catch {
            logger.error(
                "the embedded agent stopped; this node runs no pods (fix the cause, or start the server with --disable-agent)",
                metadata: ["error": "\(error)"])
        }
    }
}
