import FlotillaCore
import Foundation
import Logging

/// Keeps a local, indexed copy of one resource's objects in step with the API server and tells
/// handlers about every change: the base of every controller, the scheduler and the agent.
///
/// It lists (in pages, from `resourceVersion=0`), then watches from the list's resourceVersion
/// with bookmarks, re-watching from the last seen resourceVersion whenever a watch ends. When
/// the server says that version is too old (410), it lists again and reports the differences as
/// add, update and delete events, so consumers stay level-triggered. Errors are retried with
/// ``Backoff``.
///
/// ```swift
/// let pods = Informer(client: client, resource: .pods)
/// pods.onAdd { pod in queue.add(ObjectCache.key(for: pod)) }
/// Task { try await pods.run() }          // returns when its task is cancelled
/// try await pods.waitForSync()
/// let web = pods.cache.byLabel("app", "web")
/// ```
public final class Informer: Sendable {
    public let resource: ResourceRef
    /// The namespace watched; nil for all namespaces.
    public let namespace: String?
    public let labelSelector: String?
    public let fieldSelector: String?
    /// The local copy of the objects, with its indexes.
    public let cache = ObjectCache()

    private let client: KubernetesClient
    private let pageSize: Int
    private let watchTimeoutSeconds: Int
    private let backoff: Backoff
    private let logger: Logger

    private struct State {
        var addHandlers: [@Sendable (JSON) -> Void] = []
        var updateHandlers: [@Sendable (JSON, JSON) -> Void] = []
        var deleteHandlers: [@Sendable (JSON) -> Void] = []
        var streams: [UUID: AsyncStream<InformerEvent>.Continuation] = [:]
        var synced = false
        var syncWaiters: [UUID: CheckedContinuation<Void, any Error>] = [:]
        var running = false
        /// The resourceVersion to watch from: the list's, then the last event's or bookmark's.
        var resourceVersion = ""
    }

    private let state = Locked(State())

    /// - Parameters:
    ///   - pageSize: objects per list page.
    ///   - watchTimeoutSeconds: how long each watch runs before the server ends it and the
    ///     informer watches again from where it was.
    ///   - backoff: delays between retries after errors.
    public init(
        client: KubernetesClient, resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, pageSize: Int = 500, watchTimeoutSeconds: Int = 300,
        backoff: Backoff = .apiRetry, logger: Logger? = nil
    ) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.pageSize = pageSize
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.backoff = backoff
        var logger = logger ?? Logger(label: "flotilla.informer")
        logger[metadataKey: "resource"] = "\(resource)"
        self.logger = logger
    }

    // MARK: - Consuming changes

    /// Calls `handler` for each object added (including every object of the first list).
    /// Handlers run one at a time on the informer's task, after the cache reflects the change;
    /// keep them short (hand keys to a ``WorkQueue``). Register them before ``run()``.
    public func onAdd(_ handler: @escaping @Sendable (JSON) -> Void) {
        state.withLock { $0.addHandlers.append(handler) }
    }

    /// Calls `handler` with the old and new state of each object that changed.
    public func onUpdate(_ handler: @escaping @Sendable (_ old: JSON, _ new: JSON) -> Void) {
        state.withLock { $0.updateHandlers.append(handler) }
    }

    /// Calls `handler` with the last known state of each object that was deleted.
    public func onDelete(_ handler: @escaping @Sendable (JSON) -> Void) {
        state.withLock { $0.deleteHandlers.append(handler) }
    }

    /// A stream of the changes from now on; with `replayingCache`, it starts with an `added`
    /// event for every object already cached. The stream ends when ``run()`` returns.
    public func events(replayingCache: Bool = true) -> AsyncStream<InformerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: InformerEvent.self)
        let id = UUID()
        state.withLock { s in
            if replayingCache {
                for object in cache.list() { continuation.yield(.added(object)) }
            }
            s.streams[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: - Sync state

    /// Whether the first list has been loaded into the cache and its events delivered.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// The resourceVersion the cache reflects.
    public var lastResourceVersion: String { state.withLock { $0.resourceVersion } }

    /// Returns once ``hasSynced``; throws `CancellationError` if the waiting task is cancelled.
    public func waitForSync() async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                let ready: Bool? = state.withLock { s in
                    if s.synced { return true }
                    if Task.isCancelled { return false }
                    s.syncWaiters[id] = waiter
                    return nil
                }
                switch ready {
                case true?: waiter.resume()
                case false?: waiter.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            state.withLock { $0.syncWaiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }

    // MARK: - Running

    /// Lists and watches until the calling task is cancelled, then returns. Throws only if the
    /// informer is already running. Run again later, it watches on from its last resourceVersion
    /// (listing again if that is too old).
    public func run() async throws {
        try state.withLock { s in
            if s.running { throw FlotillaError(.conflict, "the informer for \(resource) is already running") }
            s.running = true
        }
        defer {
            let streams = state.withLock { s in
                s.running = false
                defer { s.streams = [:] }
                return Array(s.streams.values)
            }
            for stream in streams { stream.finish() }
        }
        var backoff = self.backoff
        // Run again after a stop, an informer resumes watching from where its cache stands.
        var needsList = !hasSynced
        while !Task.isCancelled {
            do {
                if needsList {
                    try await relist()
                    needsList = false
                    backoff.reset()
                }
                let started = ContinuousClock.now
                let events = try await watchOnce()
                if events > 0 {
                    backoff.reset()
                } else if ContinuousClock.now - started < .seconds(1) && !Task.isCancelled {
                    // A watch the server ends at once, again and again, must not spin.
                    try await Task.sleep(for: backoff.next())
                }
            } catch let error as FlotillaError where error.code == .expired {
                logger.debug("resource version expired; listing again", metadata: ["error": "\(error.message)"])
                needsList = true
            } catch {
                if Task.isCancelled { break }
                let delay = backoff.next()
                logger.warning(
                    "list/watch failed; retrying",
                    metadata: ["error": "\(error)", "retryIn": "\(delay)", "attempt": "\(backoff.attempts)"])
                do { try await Task.sleep(for: delay) } catch { break }
            }
        }
    }

    /// Lists everything and makes the cache equal to it, reporting the differences.
    private func relist() async throws {
        let consistent = hasSynced
        let list = try await client.listAll(
            resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            pageSize: pageSize, resourceVersion: consistent ? nil : "0")
        let items = list.items.map(withTypeMeta)
        apply(resourceVersion: list.resourceVersion) { cache in
            var events: [InformerEvent] = []
            var present = Set<String>()
            for object in items {
                present.insert(ObjectCache.key(for: object))
                if let old = cache.upsert(object) {
                    if Self.resourceVersion(of: old) != Self.resourceVersion(of: object) {
                        events.append(.updated(old: old, new: object))
                    }
                } else {
                    events.append(.added(object))
                }
            }
            for key in cache.keys where !present.contains(key) {
                if let old = cache.remove(key: key) { events.append(.deleted(old)) }
            }
            return events
        }
        let waiters = state.withLock { s in
            s.synced = true
            defer { s.syncWaiters = [:] }
            return Array(s.syncWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
        logger.debug("listed", metadata: ["count": "\(items.count)", "resourceVersion": "\(list.resourceVersion)"])
    }

    /// Watches from the last resourceVersion until the watch ends; returns how many events came.
    private func watchOnce() async throws -> Int {
        let stream = try await client.watch(
            resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            resourceVersion: lastResourceVersion, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds)
        var count = 0
        for try await event in stream {
            count += 1
            let object = event.object
            switch event.type {
            case .bookmark:
                apply(resourceVersion: event.resourceVersion) { _ in [] }
            case .added, .modified:
                apply(resourceVersion: event.resourceVersion) { cache in
                    guard let old = cache.upsert(object) else { return [.added(object)] }
                    if Self.resourceVersion(of: old) == Self.resourceVersion(of: object) { return [] }
                    return [.updated(old: old, new: object)]
                }
            case .deleted:
                apply(resourceVersion: event.resourceVersion) { cache in
                    cache.remove(key: ObjectCache.key(for: object)) == nil ? [] : [.deleted(object)]
                }
            }
        }
        return count
    }

    /// Applies a change to the cache and records the resourceVersion under the lock (so event
    /// streams see changes in order), then calls the handlers.
    private func apply(resourceVersion: String?, _ change: (ObjectCache) -> [InformerEvent]) {
        let (events, adds, updates, deletes) = state.withLock { s in
            let events = change(cache)
            if let resourceVersion, !resourceVersion.isEmpty { s.resourceVersion = resourceVersion }
            for event in events {
                for stream in s.streams.values { stream.yield(event) }
            }
            return (events, s.addHandlers, s.updateHandlers, s.deleteHandlers)
        }
        for event in events {
            switch event {
            case .added(let object): for handler in adds { handler(object) }
            case .updated(let old, let new): for handler in updates { handler(old, new) }
            case .deleted(let object): for handler in deletes { handler(object) }
            }
        }
    }

    /// List items may leave out `kind` and `apiVersion`; cached objects always carry them.
    private func withTypeMeta(_ object: JSON) -> JSON {
        var object = object
        if object["kind"].isNull { object["kind"] = .string(resource.kind) }
        if object["apiVersion"].isNull { object["apiVersion"] = .string(resource.apiVersion) }
        return object
    }

    private static func resourceVersion(of object: JSON) -> String? {
        object[path: ["metadata", "resourceVersion"]].string
    }
}
