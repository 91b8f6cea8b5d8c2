import NIOCore
import Synchronization

/// Carries a streamed response's chunks from their producer to the connection in batches.
///
/// A pump task (``pump(_:)``) drains the chunk stream into a buffer; the writer takes
/// everything buffered at once (``take()``) and writes it with one flush. The chunks are kept as
/// they came and joined once, when taken, into buffers of at most 64 KiB written together: a
/// backlog of megabytes is copied once, not regrown and copied at every doubling. So a busy
/// server that is slow to resume the writer sends a watch's backlog in one go, instead of one
/// chunk per resumption: the cost of a wake-up is paid per batch, not per event. The pump waits
/// while the buffer holds ``highWater`` bytes or more, so a client that does not read holds the
/// producer back as before.
///
/// ```swift
/// let relay = ChunkRelay()
/// let pump = Task { await relay.pump(chunks) }
/// defer { pump.cancel() }
/// while let batch = try await relay.take() { try await writer.write(contentsOf: batch.buffers()) }
/// ```
final class ChunkRelay: Sendable {
    /// What one ``take()`` hands over.
    struct Batch: Sendable {
        /// The stream's chunks, in order.
        var parts: [[UInt8]]
        /// How many chunks of the stream it joins.
        var chunks: Int { parts.count }

        /// The chunks joined into buffers of at most `limit` bytes each (a larger chunk is a
        /// buffer of its own), to be written together. Buffers this small come from the heap's
        /// reused memory; one buffer of a whole megabytes-long backlog would be fresh pages
        /// the kernel has to zero for every batch.
        func buffers(upTo limit: Int = 64 << 10) -> [ByteBuffer] {
            var buffers: [ByteBuffer] = []
            var start = 0
            while start < parts.count {
                var end = start + 1
                var size = parts[start].count
                while end < parts.count, size + parts[end].count <= limit {
                    size += parts[end].count
                    end += 1
                }
                var buffer = ByteBufferAllocator().buffer(capacity: size)
                for part in parts[start..<end] { buffer.writeBytes(part) }
                buffers.append(buffer)
                start = end
            }
            return buffers
        }
    }

    private struct State {
        var parts: [[UInt8]] = []
        var byteCount = 0
        var ended = false
        var failure: (any Error)?
        var stopped = false
        var writer: CheckedContinuation<Void, Never>?
        var pump: CheckedContinuation<Void, Never>?
    }

    /// The buffered bytes at which the pump waits for the writer.
    let highWater: Int
    private let state = Mutex(State())

    init(highWater: Int = 4 << 20) {
        self.highWater = highWater
    }

    /// Moves every chunk of `stream` into the buffer until the stream ends or fails, the relay
    /// is stopped, or the task is cancelled.
    func pump(_ stream: AsyncThrowingStream<[UInt8], any Error>) async {
        do {
            for try await chunk in stream {
                guard await append(chunk) else { return }
            }
            end(failure: nil)
        } catch {
            end(failure: error)
        }
    }

    /// Everything buffered since the last call, waiting until there is something; nil once the
    /// stream ended (after its last chunks were taken) or the relay was stopped. Throws the
    /// stream's error after its last chunks, and `CancellationError` when the task is cancelled.
    func take() async throws -> Batch? {
        while true {
            let (taken, pump) = try state.withLock { s -> (Batch??, CheckedContinuation<Void, Never>?) in
                if s.stopped { return (.some(nil), nil) }
                if !s.parts.isEmpty {
                    let batch = Batch(parts: s.parts)
                    s.parts = []
                    s.byteCount = 0
                    let pump = s.pump
                    s.pump = nil
                    return (.some(batch), pump)
                }
                if let failure = s.failure { throw failure }
                if s.ended { return (.some(nil), nil) }
                return (nil, nil)
            }
            pump?.resume()
            if let taken { return taken }
            try Task.checkCancellation()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { s -> Bool in
                        if s.stopped || s.ended || !s.parts.isEmpty || Task.isCancelled { return true }
                        s.writer = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                resume(\.writer)
            }
        }
    }

    /// Ends the relay now: the writer's next ``take()`` returns nil, whatever is buffered, and
    /// the pump stops.
    func stop() {
        let (writer, pump) = state.withLock { s in
            s.stopped = true
            s.parts = []
            s.byteCount = 0
            defer { (s.writer, s.pump) = (nil, nil) }
            return (s.writer, s.pump)
        }
        writer?.resume()
        pump?.resume()
    }

    /// Adds a chunk, waiting while the buffer is full; false once the relay was stopped.
    private func append(_ chunk: [UInt8]) async -> Bool {
        let (added, full, writer) = state.withLock { s -> (Bool, Bool, CheckedContinuation<Void, Never>?) in
            if s.stopped { return (false, false, nil) }
            s.parts.append(chunk)
            s.byteCount += chunk.count
            defer { s.writer = nil }
            return (true, s.byteCount >= highWater, s.writer)
        }
        writer?.resume()
        guard added else { return false }
        guard full else { return true }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let room = state.withLock { s -> Bool in
                    if s.stopped || s.byteCount < highWater || Task.isCancelled { return true }
                    s.pump = continuation
                    return false
                }
                if room { continuation.resume() }
            }
        } onCancel: {
            resume(\.pump)
        }
        return !isStopped && !Task.isCancelled
    }

    private func end(failure: (any Error)?) {
        resume(\.writer) { s in
            s.ended = true
            s.failure = failure
        }
    }

    /// Applies `change`, then resumes the task waiting in `waiter`, if one is.
    private func resume(_ waiter: WritableKeyPath<State, CheckedContinuation<Void, Never>?>, after change: (inout State) -> Void = { _ in }) {
        let continuation = state.withLock { s in
            change(&s)
            defer { s[keyPath: waiter] = nil }
            return s[keyPath: waiter]
        }
        continuation?.resume()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }
}
