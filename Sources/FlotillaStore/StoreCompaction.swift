import FlotillaCore

extension Store {
    /// Compacts away history older than the newest `keepRevisions` revisions. Returns the
    /// revision compacted to, or nil when the store is not that old yet. The API server's
    /// `Compactor` service calls it periodically.
    @discardableResult
    public func compact(keepingLast keepRevisions: Int64) async throws -> Int64? {
        let target = try await currentRevision() - max(0, keepRevisions)
        guard target > 0, target > (try await compactedRevision()) else { return nil }
        try await compact(revision: target)
        return target
    }
}
