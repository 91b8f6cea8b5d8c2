import FlotillaCore

/// Produces one SQLite watch: replays the log from a revision in chunks (pulled as the watcher
/// reads, so replay has back-pressure), then switches to the live events its subscription
/// collected meanwhile, skipping what the replay already delivered. Revisions strictly increase.
actor SQLiteWatchCursor {
    private static let replayChunk = 512

    private let range: KeyRange
    private let readers: SQLiteReaderPool
    private let hub: WatchHub
    private let subscription: WatchSubscription
    private var lastRevision: Int64
    private var replaying: Bool
    private var pending: [WatchEvent] = []
    private var pendingIndex = 0

    /// `subscription` must already be registered with `hub`, before the replay starts; one
    /// that starts live must have been registered before `revision` was read as the current one.
    init(
        prefix: String, after revision: Int64, replaying: Bool, readers: SQLiteReaderPool, hub: WatchHub,
        subscription: WatchSubscription
    ) {
        range = KeyRange(prefix: prefix)
        lastRevision = revision
        self.replaying = replaying
        self.readers = readers
        self.hub = hub
        self.subscription = subscription
    }

    deinit { hub.remove(subscription) }

    /// The next event; nil when the watch ends.
    func next() async throws -> WatchEvent? {
        do {
            while true {
                if pendingIndex < pending.count {
                    let event = pending[pendingIndex]
                    pendingIndex += 1
                    lastRevision = event.revision
                    return event
                }
                if replaying {
                    if Task.isCancelled {
                        hub.remove(subscription)
                        return nil
                    }
                    try await readHistory()
                    continue
                }
                guard let event = try await subscription.next() else {
                    hub.remove(subscription)
                    return nil
                }
                if event.revision > lastRevision {
                    lastRevision = event.revision
                    return event
                }
            }
        } catch {
            hub.remove(subscription)
            throw error
        }
    }

    private func readHistory() async throws {
        let range = range, after = lastRevision
        let chunk = try await readers.snapshot { db in
            let compacted = try SQLiteLog.compactRevision(db)
            if after < compacted { throw StoreErrors.compacted(after, compacted: compacted) }
            return try SQLiteLog.history(db, range: range, after: after, limit: SQLiteWatchCursor.replayChunk)
        }
        pending = chunk
        pendingIndex = 0
        // A short chunk means the log held nothing more at that snapshot; the subscription has
        // every later event unless it had to drop some, in which case the log is read again.
        if chunk.count < SQLiteWatchCursor.replayChunk && subscription.finishReplay() { replaying = false }
    }
}
