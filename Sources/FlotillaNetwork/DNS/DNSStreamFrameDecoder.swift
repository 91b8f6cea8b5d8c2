import NIOCore

/// Splits a DNS-over-TCP byte stream into messages: each is preceded by its length as two
/// bytes (RFC 1035 §4.2.2).
struct DNSStreamFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(NIOAny(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

extension ByteBufferAllocator {
    /// `message` preceded by its two-byte length, for DNS over TCP.
    func dnsStreamFrame(_ message: [UInt8]) -> ByteBuffer {
        var buffer = buffer(capacity: message.count + 2)
        buffer.writeInteger(UInt16(truncatingIfNeeded: message.count))
        buffer.writeBytes(message)
        return buffer
    }
}
