import FlotillaCore
import Foundation

/// Reads one container's CRI log file the way `kubectl logs` shows it: the text of each entry
/// (stdout and stderr interleaved as written, parts of long lines joined), optionally prefixed
/// with its time, limited to entries since a time, the last N lines, or N bytes; and with
/// ``Options/follow``, new entries as they are written until the container has stopped.
public struct ContainerLogReader: Sendable {
    /// The options of a `pods/log` request (Kubernetes' `PodLogOptions`).
    public struct Options: Sendable, Equatable {
        public var follow: Bool
        /// Only the last this many lines.
        public var tailLines: Int?
        /// Only entries written at or after this time.
        public var since: Date?
        /// Prefix each line with the time it was written (RFC 3339 with nanoseconds).
        public var timestamps: Bool
        /// Stop after this many bytes.
        public var limitBytes: Int?

        public init(follow: Bool = false, tailLines: Int? = nil, since: Date? = nil, timestamps: Bool = false, limitBytes: Int? = nil) {
            self.follow = follow
            self.tailLines = tailLines
            self.since = since
            self.timestamps = timestamps
            self.limitBytes = limitBytes
        }
    }

    public let path: String
    /// How often a followed file is looked at for more.
    public var pollInterval: Duration = .milliseconds(200)

    public init(path: String) {
        self.path = path
    }

    /// The log's text as `options` ask; when following, `isRunning` tells whether the container
    /// may still write (the stream ends once it says no and the file has no more).
    public func read(_ options: Options, isRunning: @escaping @Sendable () async -> Bool = { false }) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await produce(options, isRunning: isRunning) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func produce(_ options: Options, isRunning: @Sendable () async -> Bool, emit: ([UInt8]) -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FlotillaError(.notFound, "the container's log file \(path) does not exist")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var budget = options.limitBytes ?? Int.max
        var first = true
        var followedOnce = false
        while budget > 0 && !Task.isCancelled {
            let chunk = (try? handle.readToEnd()).map { Array($0) } ?? []
            pending += chunk
            // Only whole entries; a partly written last entry waits for its newline.
            guard let end = pending.lastIndex(of: UInt8(ascii: "\n")) else {
                if try await stopFollowing(options, isRunning, followedOnce: &followedOnce) { break }
                continue
            }
            var lines = render(pending[...end], options)
            pending.removeSubrange(...end)
            if first, let tail = options.tailLines { lines = Array(lines.suffix(max(0, tail))) }
            first = false
            var out: [UInt8] = []
            for line in lines {
                out += line.prefix(budget)
                budget -= min(budget, line.count)
                if budget == 0 { break }
            }
            if !out.isEmpty { emit(out) }
            if !options.follow { break }
            if chunk.isEmpty, try await stopFollowing(options, isRunning, followedOnce: &followedOnce) { break }
        }
    }

    /// Whether following ends: not following, or the container stopped and a last look found
    /// nothing more. Otherwise waits one poll interval.
    private func stopFollowing(_ options: Options, _ isRunning: @Sendable () async -> Bool, followedOnce: inout Bool) async throws -> Bool {
        guard options.follow else { return true }
        if !(await isRunning()) {
            if followedOnce { return true }
            followedOnce = true
            return false
        }
        try await Task.sleep(for: pollInterval)
        return false
    }

    /// The lines the entries in `bytes` make: partial entries joined to the entry that ends them.
    private func render(_ bytes: ArraySlice<UInt8>, _ options: Options) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for raw in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let entry = ContainerLogLine(Substring(decoding: raw, as: UTF8.self)) else { continue }
            if let since = options.since, let written = Timestamp.parse(String(entry.timestamp)), written < since { continue }
            if current.isEmpty && options.timestamps { current += Array(entry.timestamp.utf8) + [UInt8(ascii: " ")] }
            current += Array(entry.text.utf8)
            if !entry.partial {
                current.append(UInt8(ascii: "\n"))
                lines.append(current)
                current = []
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
