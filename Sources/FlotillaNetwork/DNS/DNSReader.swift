import FlotillaCore

/// Reads the fields of a DNS message in order, checking every bound: a malformed message
/// throws `badRequest`, it never reads past the end or follows a compression loop.
struct DNSReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt8() throws -> UInt8 {
        guard offset < bytes.count else { throw Self.malformed("message ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws -> UInt16 {
        guard offset + 2 <= bytes.count else { throw Self.malformed("message ends early") }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws -> UInt32 {
        UInt32(try readUInt16()) << 16 | UInt32(try readUInt16())
    }

    mutating func skip(_ count: Int) throws {
        guard count >= 0, offset + count <= bytes.count else { throw Self.malformed("message ends early") }
        offset += count
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4). Pointers must point backwards, so
    /// following them always ends; the name may be at most 255 bytes long, a label at most 63.
    mutating func readName() throws -> DNSName {
        var labels: [[UInt8]] = []
        try walkName { labels.append(Array($0)) }
        return DNSName(labels: labels)
    }

    /// Steps over a name without collecting it.
    mutating func skipName() throws {
        try walkName { _ in }
    }

    private mutating func walkName(_ visit: (UnsafeRawBufferPointer) -> Void) throws {
        var position = offset
        var resumeAt: Int?
        var wireLength = 1
        // The lowest position a pointer may still point at: strictly before the current label.
        var limit = position
        while true {
            guard position < bytes.count else { throw Self.malformed("name runs past the end") }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return
                }
                guard position + 1 + length <= bytes.count else { throw Self.malformed("label runs past the end") }
                wireLength += length + 1
                guard wireLength <= 255 else { throw Self.malformed("name longer than 255 bytes") }
                visit(UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<(position + 1 + length)]))
                position += 1 + length
            case 0xC0:
                guard position + 1 < bytes.count else { throw Self.malformed("pointer runs past the end") }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < limit else { throw Self.malformed("compression pointer does not point backwards") }
                if resumeAt == nil { resumeAt = position + 2 }
                limit = target
                position = target
            default:
                throw Self.malformed("unknown label type")
            }
        }
    }

    static func malformed(_ message: String) -> FlotillaError {
        FlotillaError(.badRequest, "malformed DNS message: \(message)")
    }
}
