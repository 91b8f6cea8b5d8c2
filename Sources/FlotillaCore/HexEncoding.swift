extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal, two digits each (`[0x0a, 0xff]` → `0aff`).
    public var hexString: String {
        var out = ""
        for byte in self {
            if byte < 16 { out += "0" }
            out += String(byte, radix: 16)
        }
        return out
    }
}
