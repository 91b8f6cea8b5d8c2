import FlotillaCore
import FlotillaStore
import Synchronization
import Testing

extension Array where Element == UInt8 {
    /// UTF-8 bytes of a test value.
    static func text(_ text: String) -> [UInt8] { Array(text.utf8) }
}

/// The first `count` events of `stream`; fails if they do not arrive within `timeout`.
func collect(
    _ stream: AsyncThrowingStream<WatchEvent, any Error>, count: Int, timeout: Duration = .seconds(15)
) async throws -> [WatchEvent] {
    let received = LockedEvents()
    return try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            for try await event in stream {
                let done = received.events.withLock { events in
                    events.append(event)
                    return events.count == count
                }
                if done { break }
            }
            return true
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return false
        }
        defer { group.cancelAll() }
        let finished = try await group.next() ?? false
        let events = received.events.withLock { $0 }
        guard finished else {
            let last = events.last.map { "last revision \($0.revision)" } ?? "none"
            throw FlotillaError(.timeout, "watch delivered \(events.count) of \(count) events within \(timeout) (\(last))")
        }
        return events
    }
}

/// Whether `stream` delivers nothing more within `wait`.
func staysQuiet(_ stream: AsyncThrowingStream<WatchEvent, any Error>, for wait: Duration = .milliseconds(300)) async -> Bool {
    do {
        _ = try await collect(stream, count: 1, timeout: wait)
        return false
    } catch {
        return true
    }
}

/// Expects `body` to throw a ``FlotillaError`` with `code`.
func expectStoreError<T>(
    _ code: FlotillaError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code.rawValue), but it succeeded", sourceLocation: sourceLocation)
    } catch let error as FlotillaError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects a watch after `revision` to fail with `.expired`, either at once or from its stream.
func expectWatchExpired(
    _ store: any Store, prefix: String, after revision: Int64, sourceLocation: SourceLocation = #_sourceLocation
) async {
    await expectStoreError(.expired, sourceLocation: sourceLocation) {
        let stream = try await store.watch(prefix: prefix, afterRevision: revision)
        return try await collect(stream, count: 1, timeout: .seconds(5))
    }
}

/// Events shared between a collecting task and its caller.
private final class LockedEvents: Sendable {
    let events = Mutex<[WatchEvent]>([])
}
