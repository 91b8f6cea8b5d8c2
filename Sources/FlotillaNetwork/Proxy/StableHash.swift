/// A stable 80-bit digest of a string written as 16 base32 characters, for names that must not
/// change between runs or hosts (iptables chain names, as kube-proxy derives them from a
/// sha256). Two 64-bit FNV-1a passes with different offset bases, each finished with a
/// splitmix64 avalanche, give the bits.
public enum StableHash {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// `length` (at most 25) base32 characters of the digest of `text`.
    public static func base32(_ text: String, length: Int = 16) -> String {
        precondition(length <= 25, "the digest has 128 bits, 25 base32 characters")
        var high = fnv1a(text, basis: 0xcbf2_9ce4_8422_2325)
        var low = fnv1a(text, basis: 0x8422_2325_cbf2_9ce4 ^ 0x5bd1_e995)
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for _ in 0..<length {
            out.append(alphabet[Int(high >> 59)])
            high = high << 5 | low >> 59
            low <<= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func fnv1a(_ text: String, basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 30
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash = hash &* 0x94d0_49bb_1331_11eb
        return hash ^ hash >> 31
    }
}
