import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite struct ChunkRelayTests {
    @Test func chunksThatArriveWhileTheWriterIsAwayGoOutInOneBatch() async throws {
        let (stream, source) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let relay = ChunkRelay()
        let pump = Task { await relay.pump(stream) }
        defer { pump.cancel() }
        source.yield([1])
        let first = try #require(try await relay.take())
        #expect(first.buffers().map { Array($0.readableBytesView) } == [[1]] && first.chunks == 1)
        for byte in 2...5 { source.yield([UInt8(byte)]) }
        source.finish()
        await pump.value
        let second = try #require(try await relay.take())
        #expect(second.buffers().map { Array($0.readableBytesView) } == [[2, 3, 4, 5]])
        #expect(second.buffers(upTo: 2).map { Array($0.readableBytesView) } == [[2, 3], [4, 5]])
        #expect(second.chunks == 4)
        #expect(try await relay.take() == nil)
    }

    @Test func aBatchIsWrittenAsBuffersOfBoundedSizeInOrder() {
        let batch = ChunkRelay.Batch(parts: [[1, 2, 3], [4], [5], [6, 7], [8]])
        #expect(batch.buffers(upTo: 2).map { Array($0.readableBytesView) } == [[1, 2, 3], [4, 5], [6, 7], [8]])
        #expect(batch.buffers().map { Array($0.readableBytesView) } == [[1, 2, 3, 4, 5, 6, 7, 8]])
        #expect(batch.chunks == 5)
    }

    @Test func theStreamsFailureComesAfterItsLastChunks() async throws {
        let (stream, source) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let relay = ChunkRelay()
        source.yield([7, 8])
        source.finish(throwing: FlotillaError(.expired, "too old"))
        await relay.pump(stream)
        #expect(try await relay.take()?.parts == [[7, 8]])
        await #expect(throws: FlotillaError.self) { _ = try await relay.take() }
    }

    @Test func stopEndsAWaitingWriterAndDropsTheBacklog() async throws {
        let (stream, source) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let relay = ChunkRelay()
        let writer = Task { try await relay.take() }
        try await Task.sleep(for: .milliseconds(50))
        relay.stop()
        #expect(try await writer.value == nil)
        source.yield([1])
        await relay.pump(stream)
        #expect(try await relay.take() == nil)
    }

    @Test func aFullBufferHoldsThePumpUntilTheWriterTakesIt() async throws {
        let (stream, source) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let relay = ChunkRelay(highWater: 4)
        let pump = Task { await relay.pump(stream) }
        defer { pump.cancel() }
        for _ in 0..<3 { source.yield([0, 0, 0, 0]) }
        source.finish()
        try await Task.sleep(for: .milliseconds(50))
        // The pump stopped after the first chunk filled the buffer; the others wait in the stream.
        let first = try #require(try await relay.take())
        #expect(first.parts == [[0, 0, 0, 0]])
        var rest = 0
        while let batch = try await relay.take() { rest += batch.buffers().reduce(0) { $0 + $1.readableBytes } }
        #expect(rest == 8)
    }

    @Test func cancellingTheWriterEndsItsWait() async throws {
        let relay = ChunkRelay()
        let writer = Task { try await relay.take() }
        try await Task.sleep(for: .milliseconds(20))
        writer.cancel()
        await #expect(throws: CancellationError.self) { _ = try await writer.value }
    }
}
