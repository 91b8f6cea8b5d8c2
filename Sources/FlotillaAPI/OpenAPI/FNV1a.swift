/// The 64-bit FNV-1a hash, used for the stable `hash=` of OpenAPI document URLs.
enum FNV1a {
    static func hash64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The hash as 16 uppercase hexadecimal digits.
    static func hex64(_ bytes: some Sequence<UInt8>) -> String {
        let text = String(hash64(bytes), radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
