import FlotillaAPI
import FlotillaCore

extension KubernetesClient {
    /// Watches a resource from `resourceVersion` (nil or `"0"`: from now, after the current
    /// state as ADDED events).
    ///
    /// An error reply to the request itself throws here; once the watch runs, ERROR events
    /// throw from the stream (a 410 as `.expired`: list again, then watch from the list's
    /// resourceVersion). The stream ends normally when the server closes the watch, e.g. after
    /// `timeoutSeconds`. Stopping the iteration (or cancelling its task) closes the watch.
    public func watch(
        _ resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, resourceVersion: String? = nil, allowWatchBookmarks: Bool = true,
        timeoutSeconds: Int? = nil
    ) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        var query: [(name: String, value: String)] = [("watch", "true")]
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        let request = APIRequest(
            method: "GET", path: resource.collectionPath(namespace: namespace), query: query,
            headers: [("accept", "application/json")])
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw FlotillaError(httpStatus: response.status, body: try await Self.collect(response.body))
        }
        return Self.events(of: response.body)
    }

    /// The events in a watch reply body, decoded as its chunks arrive.
    static func events(of body: APIResponse.Body) -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        switch body {
        case .bytes(let bytes):
            var decoder = WatchStreamDecoder()
            do {
                for event in try decoder.feed(bytes) + decoder.finish() { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        case .stream(let chunks):
            let reader = Task {
                var decoder = WatchStreamDecoder()
                do {
                    for try await chunk in chunks {
                        for event in try decoder.feed(chunk) { continuation.yield(event) }
                    }
                    for event in try decoder.finish() { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        case .object:
            continuation.finish(throwing: FlotillaError(.internalError, "the watch was answered with one object, not a stream of events"))
        case .events(let events):
            let reader = Task {
                do {
                    for try await event in events {
                        if event.type == "ERROR" { throw FlotillaError(status: event.object, httpStatus: 500) }
                        guard let type = WatchEvent.EventType(rawValue: event.type) else {
                            throw FlotillaError(.internalError, "watch event of unknown type \(event.type)")
                        }
                        continuation.yield(WatchEvent(type: type, object: event.object))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
        return stream
    }
}
