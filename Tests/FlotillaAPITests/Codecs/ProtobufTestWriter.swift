/// A minimal protobuf encoder for building test bodies field by field.
struct ProtobufTestWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ number: Int, _ wireType: UInt8) { varint(UInt64(number) << 3 | UInt64(wireType)) }

    mutating func int(_ number: Int, _ value: Int64) {
        tag(number, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func double(_ number: Int, _ value: Double) {
        tag(number, 1)
        let bits = value.bitPattern
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
    }

    mutating func bytes(_ number: Int, _ value: [UInt8]) {
        tag(number, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ number: Int, _ value: String) { bytes(number, Array(value.utf8)) }

    mutating func message(_ number: Int, _ build: (inout ProtobufTestWriter) -> Void) {
        var inner = ProtobufTestWriter()
        build(&inner)
        bytes(number, inner.bytes)
    }

    /// A whole request body: magic, then runtime.Unknown around `raw`.
    static func body(apiVersion: String, kind: String, contentType: String = "", raw: [UInt8]) -> [UInt8] {
        var w = ProtobufTestWriter()
        w.message(1) { m in
            m.string(1, apiVersion)
            m.string(2, kind)
        }
        w.bytes(2, raw)
        w.string(3, "")
        w.string(4, contentType)
        return [0x6B, 0x38, 0x73, 0x00] + w.bytes
    }
}
