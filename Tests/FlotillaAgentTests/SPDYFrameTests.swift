@testable import FlotillaAgent
import Testing

@Suite struct SPDYFrameTests {
    @Test func dataFramesRoundTripAcrossPartialReads() {
        let frames: [SPDYFrame] = [
            .data(streamID: 3, flags: 0, payload: Array("hello".utf8)),
            .data(streamID: 5, flags: SPDYFrame.finFlag, payload: []),
            .control(type: SPDYFrame.pingType, flags: 0, payload: [0, 0, 0, 1]),
        ]
        let wire = frames.flatMap(\.encoded)
        #expect(Array(wire.prefix(8)) == [0, 0, 0, 3, 0, 0, 0, 5])
        var decoder = SPDYFrameDecoder()
        var decoded: [SPDYFrame] = []
        for byte in wire {
            decoder.append([byte])
            while let frame = decoder.next() { decoded.append(frame) }
        }
        #expect(decoded == frames)
    }

    @Test func controlFramesCarryVersionThreeAndTheirType() {
        let ping = SPDYFrame.control(type: SPDYFrame.pingType, flags: 0, payload: [0, 0, 0, 7]).encoded
        #expect(ping == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 7])
        var decoder = SPDYFrameDecoder()
        decoder.append(ping + [0x80, 0x03])
        #expect(decoder.next() == .control(type: 6, flags: 0, payload: [0, 0, 0, 7]))
        #expect(decoder.next() == nil)
    }

    @Test func synStreamsCarryHeaderBlocksAsStoredDeflateBlocksOfOneZlibStream() throws {
        var opener = SPDYStreamOpener()
        let first = opener.synStream(id: 1, headers: [("streamtype", "error")])
        let second = opener.synStream(id: 3, headers: [("streamtype", "stdin")], fin: true)
        guard case .control(let type, let flags, let payload) = first, case .control(_, let secondFlags, let secondPayload) = second else {
            Issue.record("not control frames")
            return
        }
        #expect(type == SPDYFrame.synStreamType && flags == 0 && secondFlags == SPDYFrame.finFlag)
        #expect(Array(payload.prefix(10)) == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
        // Only the first block opens the zlib stream.
        #expect(Array(payload[10..<12]) == [0x78, 0x01])
        #expect(try Self.storedBlock(Array(payload[12...])) == Self.headerBlock(["streamtype": "error"]))
        #expect(Array(secondPayload.prefix(4)) == [0, 0, 0, 3])
        #expect(try Self.storedBlock(Array(secondPayload[10...])) == Self.headerBlock(["streamtype": "stdin"]))
    }

    /// The data of one non-final stored deflate block, then a sync flush marker, that fill `bytes`.
    static func storedBlock(_ bytes: [UInt8]) throws -> [UInt8] {
        try #require(bytes.count >= 10 && bytes[0] == 0)
        let length = Int(bytes[1]) | Int(bytes[2]) << 8
        #expect(UInt16(length) == ~(UInt16(bytes[3]) | UInt16(bytes[4]) << 8))
        try #require(bytes.count == 5 + length + 5)
        #expect(Array(bytes.suffix(5)) == SPDYStreamOpener.syncFlush)
        return Array(bytes[5..<5 + length])
    }

    static func headerBlock(_ headers: [String: String]) -> [UInt8] {
        var block = SPDYFrame.bigEndian(UInt32(headers.count))
        for (name, value) in headers {
            block += SPDYFrame.bigEndian(UInt32(name.utf8.count)) + Array(name.utf8)
            block += SPDYFrame.bigEndian(UInt32(value.utf8.count)) + Array(value.utf8)
        }
        return block
    }
}
