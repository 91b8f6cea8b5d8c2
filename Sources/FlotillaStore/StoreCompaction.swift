import FlotillaCore
import Logging

extension Store {
    /// Compacts away history older than the newest `keepRevisions` revisions. Returns the
    /// revision compacted to, or nil when the store is not that old yet.
    @discardableResult
    public func compact(keepingLast keepRevisions: Int64) async throws -> Int64? {
        let target = try await currentRevision() - max(0, keepRevisions)
        guard target > 0, target > (try await compactedRevision()) else { return nil }
        try await compact(revision: target)
        return target
    }

    /// Runs ``compact(keepingLast:)`` every `interval` until the returned task is cancelled
    /// (the API server starts it with the store and cancels it before closing the store).
    /// Failures are logged and retried at the next interval.
    public func startAutoCompaction(
        keepRevisions: Int64, interval: Duration, logger: Logger = Logger(label: "flotilla.store.compaction")
    ) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    if let revision = try await compact(keepingLast: keepRevisions) {
                        logger.debug("compacted store history", metadata: ["revision": "\(revision)"])
                    }
                } catch {
                    logger.warning("store compaction failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
