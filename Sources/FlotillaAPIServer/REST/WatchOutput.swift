import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// Where one watch's events go: JSON lines for a client over HTTP, or objects for a caller in
/// the same process (``APIRequest/acceptsObjects``), which then parses nothing. Objects
/// of changes come from the ``ParsedObjectMemo`` the watches share, so an object version is
/// parsed once however many in-process watchers see it.
enum WatchOutput: Sendable {
    case lines(AsyncThrowingStream<[UInt8], any Error>.Continuation, WatchEventEncoder)
    case objects(AsyncThrowingStream<APIWatchEvent, any Error>.Continuation, ResourceDefinition, ParsedObjectMemo)

    /// Sends the `type` event of the object stored in `kv`, served at `revision`. `parsed` is
    /// the stored object when already parsed; `shared` says whether to parse it through the
    /// memo (changes, which every watcher sees) or alone (an initial listing).
    func event(_ type: String, _ kv: KeyValue, revision: Int64, parsed: JSON?, shared: Bool) throws {
        switch self {
        case .lines(let continuation, let encoder):
            continuation.yield(try encoder.event(type, stored: kv.value, revision: revision, parsed: parsed))
        case .objects(let continuation, let resource, let memo):
            var object = try parsed ?? (shared ? memo.object(key: kv.key, bytes: kv.value) : JSONParser.parse(kv.value))
            if resource.conversion == nil {
                object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
            } else {
                object = VersionConversion.served(StoredObject.canonical(object, resourceVersion: revision), as: resource)
            }
            continuation.yield(APIWatchEvent(type: type, object: object))
        }
    }

    /// Sends a BOOKMARK event at `revision`.
    func bookmark(revision: Int64) {
        switch self {
        case .lines(let continuation, let encoder):
            continuation.yield(encoder.bookmark(revision: revision))
        case .objects(let continuation, let resource, _):
            continuation.yield(APIWatchEvent(type: "BOOKMARK", object: WatchEventEncoder.bookmarkObject(resource: resource, revision: revision)))
        }
    }

    /// Sends an ERROR event carrying `error`'s Status.
    func error(_ error: FlotillaError) {
        switch self {
        case .lines(let continuation, let encoder): continuation.yield(encoder.error(error))
        case .objects(let continuation, _, _): continuation.yield(APIWatchEvent(type: "ERROR", object: error.status))
        }
    }

    /// Calls `cancel` when the reader of the events goes away.
    func onAbandoned(_ cancel: @escaping @Sendable () -> Void) {
        switch self {
        case .lines(let continuation, _): continuation.onTermination = { _ in cancel() }
        case .objects(let continuation, _, _): continuation.onTermination = { _ in cancel() }
        }
    }

    /// Ends the watch.
    func finish() {
        switch self {
        case .lines(let continuation, _): continuation.finish()
        case .objects(let continuation, _, _): continuation.finish()
        }
    }
}
