import FlotillaCore

/// One watch event as the API server made it, not yet written as a JSON line: what in-process
/// callers receive instead of bytes (``APIRequest/acceptsObjects``), so that the object
/// the server already parsed is neither written nor parsed again.
public struct APIWatchEvent: Sendable {
    /// `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR` (whose object is a `Status`).
    public var type: String
    public var object: JSON

    public init(type: String, object: JSON) {
        self.type = type
        self.object = object
    }

    /// The event as the JSON line a watch over HTTP carries.
    public var line: [UInt8] {
        let event: JSON = ["type": .string(type), "object": object]
        return event.serialized() + [0x0A]
    }

    /// `events` as the JSON lines a watch over HTTP carries.
    public static func lines(of events: AsyncThrowingStream<APIWatchEvent, any Error>) -> AsyncThrowingStream<[UInt8], any Error> {
        let (lines, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let writer = Task {
            do {
                for try await event in events { continuation.yield(event.line) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in writer.cancel() }
        return lines
    }
}
