/// A reader of the protobuf wire format over a byte buffer: tags, varints, fixed-width numbers
/// and length-delimited slices.
///
/// It knows nothing of schemas; ``ProtobufRequestDecoder`` gives the fields their meaning.
struct ProtobufReader {
    /// The wire type of a field, the low three bits of its tag.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5

        var name: String {
            switch self {
            case .varint: return "varint"
            case .fixed64: return "fixed64"
            case .lengthDelimited: return "length-delimited"
            case .startGroup: return "start-group"
            case .endGroup: return "end-group"
            case .fixed32: return "fixed32"
            }
        }
    }

    /// A problem with the bytes themselves, at a byte offset of the buffer.
    struct MalformedError: Error {
        var message: String
        var offset: Int
    }

    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, from: 0, to: bytes.count)
    }

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.offset = start
        self.end = end
    }

    var isAtEnd: Bool { offset >= end }

    /// The next tag: its field number and wire type.
    mutating func readTag() throws(MalformedError) -> (number: Int, wireType: WireType) {
        let at = offset
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw MalformedError(message: "invalid wire type \(key & 7)", offset: at)
        }
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else {
            throw MalformedError(message: "invalid field number \(number)", offset: at)
        }
        return (Int(number), wireType)
    }

    mutating func readVarint() throws(MalformedError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < end else { throw MalformedError(message: "truncated varint", offset: start) }
            let b = bytes[offset]
            offset += 1
            if shift == 63, b > 1 { throw MalformedError(message: "varint overflows 64 bits", offset: start) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw MalformedError(message: "varint longer than 10 bytes", offset: start) }
        }
    }

    mutating func readFixed64() throws(MalformedError) -> UInt64 {
        guard end - offset >= 8 else { throw MalformedError(message: "truncated fixed64", offset: offset) }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    mutating func readFixed32() throws(MalformedError) -> UInt32 {
        guard end - offset >= 4 else { throw MalformedError(message: "truncated fixed32", offset: offset) }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
        offset += 4
        return v
    }

    /// The bounds of the next length-delimited value, skipping past it.
    mutating func readLengthDelimited() throws(MalformedError) -> Range<Int> {
        let at = offset
        let length = try readVarint()
        guard length <= UInt64(end - offset) else {
            throw MalformedError(message: "length \(length) runs past the end of the message", offset: at)
        }
        let range = offset..<(offset + Int(length))
        offset = range.upperBound
        return range
    }

    /// A reader over a sub-range of the same buffer (an embedded message).
    func reader(over range: Range<Int>) -> ProtobufReader {
        ProtobufReader(bytes, from: range.lowerBound, to: range.upperBound)
    }

    /// The bytes of a range of the buffer.
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[range] }

    /// Skips a value of the given wire type (groups included, as old encoders wrote them).
    mutating func skip(_ wireType: WireType, number: Int) throws(MalformedError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup:
            while true {
                guard !isAtEnd else { throw MalformedError(message: "unterminated group \(number)", offset: offset) }
                let tag = try readTag()
                if tag.wireType == .endGroup {
                    guard tag.number == number else {
                        throw MalformedError(message: "mismatched end of group \(number)", offset: offset)
                    }
                    return
                }
                try skip(tag.wireType, number: tag.number)
            }
        case .endGroup:
            throw MalformedError(message: "unexpected end of group \(number)", offset: offset)
        }
    }
}
