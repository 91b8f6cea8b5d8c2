import FlotillaStore
import Prometheus

/// A ``Store`` that times every operation of the store it wraps into
/// `flotilla_store_operation_duration_seconds{operation}`.
public struct InstrumentedStore: Store, CustomStringConvertible {
    /// The wrapped store.
    public let base: any Store
    private let get_: DurationHistogram
    private let list_: DurationHistogram
    private let create_: DurationHistogram
    private let update_: DurationHistogram
    private let delete_: DurationHistogram
    private let watch_: DurationHistogram
    private let compact_: DurationHistogram
    private let revision_: DurationHistogram

    public init(_ base: any Store, metrics: APIMetrics) {
        self.base = base
        get_ = metrics.storeOperation("get")
        list_ = metrics.storeOperation("list")
        create_ = metrics.storeOperation("create")
        update_ = metrics.storeOperation("update")
        delete_ = metrics.storeOperation("delete")
        watch_ = metrics.storeOperation("watch")
        compact_ = metrics.storeOperation("compact")
        revision_ = metrics.storeOperation("revision")
    }

    public var description: String { "InstrumentedStore(\(type(of: base)))" }

    /// Runs `operation`, recording its duration (failures included) in `histogram`.
    @inline(__always)
    private func timed<T>(_ histogram: DurationHistogram, _ operation: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { histogram.record(ContinuousClock.now - start) }
        return try await operation()
    }

    public func currentRevision() async throws -> Int64 {
        try await timed(revision_) { try await base.currentRevision() }
    }

    public func get(_ key: String) async throws -> KeyValue? {
        try await timed(get_) { try await base.get(key) }
    }

    public func list(prefix: String, after: String?, limit: Int, revision: Int64?) async throws -> ListResult {
        try await timed(list_) { try await base.list(prefix: prefix, after: after, limit: limit, revision: revision) }
    }

    public func create(_ key: String, value: [UInt8]) async throws -> Int64 {
        try await timed(create_) { try await base.create(key, value: value) }
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> Int64 {
        try await timed(update_) { try await base.update(key, value: value, expectedRevision: expectedRevision) }
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws -> (previous: KeyValue, revision: Int64) {
        try await timed(delete_) { try await base.delete(key, expectedRevision: expectedRevision) }
    }

    /// Times the setting up of the watch, not its lifetime.
    public func watch(prefix: String, afterRevision revision: Int64) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        try await timed(watch_) { try await base.watch(prefix: prefix, afterRevision: revision) }
    }

    public func compact(revision: Int64) async throws {
        try await timed(compact_) { try await base.compact(revision: revision) }
    }

    public func compactedRevision() async throws -> Int64 {
        try await base.compactedRevision()
    }

    public func close() async throws {
        try await base.close()
    }
}
