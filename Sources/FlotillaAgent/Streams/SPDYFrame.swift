/// A SPDY/3.1 frame as read off a connection: a data frame of a stream, or a control frame
/// (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE) whose
/// payload is left undecoded.
enum SPDYFrame: Equatable, Sendable {
    case data(streamID: UInt32, flags: UInt8, payload: [UInt8])
    case control(type: UInt16, flags: UInt8, payload: [UInt8])

    static let version: UInt16 = 3
    /// The last frame of a stream from its sender.
    static let finFlag: UInt8 = 0x01
    static let synStreamType: UInt16 = 1
    static let pingType: UInt16 = 6
    static let goAwayType: UInt16 = 7

    /// The frame as sent on the wire.
    var encoded: [UInt8] {
        switch self {
        case .data(let streamID, let flags, let payload):
            return Self.bigEndian(streamID & 0x7FFF_FFFF) + [flags] + Self.length(payload.count) + payload
        case .control(let type, let flags, let payload):
            return [0x80 | UInt8(Self.version >> 8), UInt8(Self.version & 0xFF), UInt8(type >> 8), UInt8(type & 0xFF), flags]
                + Self.length(payload.count) + payload
        }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func length(_ count: Int) -> [UInt8] {
        [UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
    }
}

/// Splits the bytes of a SPDY/3.1 connection into frames as they arrive.
struct SPDYFrameDecoder {
    /// The largest frame accepted (SPDY lengths have 24 bits).
    static let maxFrameLength = 1 << 24

    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame, or nil until more bytes arrive.
    mutating func next() -> SPDYFrame? {
        guard buffer.count - start >= 8 else { return nil }
        let header = buffer[start..<start + 8]
        let flags = header[start + 4]
        let length = Int(header[start + 5]) << 16 | Int(header[start + 6]) << 8 | Int(header[start + 7])
        guard buffer.count - start - 8 >= length else { return nil }
        let payload = Array(buffer[start + 8..<start + 8 + length])
        let word = header[start..<start + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        start += 8 + length
        if start > 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
        if word & 0x8000_0000 != 0 {
            return .control(type: UInt16(word & 0xFFFF), flags: flags, payload: payload)
        }
        return .data(streamID: word, flags: flags, payload: payload)
    }
}

/// Writes SYN_STREAM frames. SPDY compresses every header block of a connection's direction as
/// one zlib stream; each block here is a stored (uncompressed) deflate block of that stream
/// followed by a sync flush marker, which any zlib reader, with or without SPDY's dictionary,
/// reads back.
struct SPDYStreamOpener {
    static let syncFlush: [UInt8] = [0x00, 0x00, 0x00, 0xFF, 0xFF]
    private var started = false

    /// A SYN_STREAM opening stream `id` (odd, from the client) with `headers` (lowercase names).
    mutating func synStream(id: UInt32, headers: [(name: String, value: String)], fin: Bool = false) -> SPDYFrame {
        var block = SPDYFrame.bigEndian(UInt32(headers.count))
        for (name, value) in headers {
            block += SPDYFrame.bigEndian(UInt32(name.utf8.count)) + Array(name.utf8)
            block += SPDYFrame.bigEndian(UInt32(value.utf8.count)) + Array(value.utf8)
        }
        var compressed: [UInt8] = started ? [] : [0x78, 0x01]
        started = true
        let count = UInt16(block.count)
        compressed += [0x00, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8(~count >> 8)] + block
        // An empty stored block ends each header block, as zlib's sync flush does, so that a
        // reader hands over the whole block without waiting for the next one.
        compressed += Self.syncFlush
        // Stream id, associated stream id (none), priority 0 and slot 0.
        let payload = SPDYFrame.bigEndian(id & 0x7FFF_FFFF) + SPDYFrame.bigEndian(0) + [0, 0] + compressed
        return .control(type: SPDYFrame.synStreamType, flags: fin ? SPDYFrame.finFlag : 0, payload: payload)
    }
}
