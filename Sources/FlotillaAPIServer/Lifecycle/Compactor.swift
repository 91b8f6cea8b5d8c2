import FlotillaStore
import Logging
import ServiceLifecycle

/// Compacts the store's history periodically, keeping the newest revisions so that watches and
/// paged lists that resume from a recent revision still work.
public struct Compactor: Service {
    let store: any Store
    let keepRevisions: Int64
    let interval: Duration
    let logger: Logger

    public init(
        store: any Store, keepRevisions: Int64 = 10_000, interval: Duration = .seconds(60),
        logger: Logger = Logger(label: "flotilla.compactor")
    ) {
        self.store = store
        self.keepRevisions = keepRevisions
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                if let revision = try await store.compact(keepingLast: keepRevisions) {
                    logger.debug("compacted store history", metadata: ["revision": "\(revision)"])
                }
            } catch {
                logger.warning("store compaction failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
