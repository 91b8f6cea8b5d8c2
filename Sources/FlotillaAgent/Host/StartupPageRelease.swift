import Logging
import ServiceLifecycle

/// Releases the agent's start-up pages (``StartupPages``) once it has settled: registered,
/// listed what it watches and started its pods' sync, which takes a few seconds. Then it waits
/// for shutdown, so that it does not end the service group.
public struct StartupPageRelease: Service {
    /// How long after start the release comes.
    let settleTime: Duration
    let logger: Logger

    public init(settleTime: Duration = .seconds(5), logger: Logger) {
        self.settleTime = settleTime
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await ContinuousClock().sleep(for: settleTime) }
        } catch {
            return
        }
        let release = StartupPages.release()
        logger.debug("start-up pages released", metadata: [
            "codeBytes": "\(release.code)", "readOnlyDataBytes": "\(release.readOnlyData)",
        ])
        try? await gracefulShutdown()
    }
}
