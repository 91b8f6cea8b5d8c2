/// The half-open key interval `[start, end)` that holds every key beginning with a prefix.
///
/// The prefix is used literally, byte for byte: `/pods/a/` does not cover `/pods/ab/x`.
struct KeyRange: Sendable, Equatable {
    var start: [UInt8]
    /// The first key past the range, or nil when the range runs to the end of the key space.
    var end: [UInt8]?

    init(prefix: String) {
        start = Array(prefix.utf8)
        end = KeyRange.successor(ofPrefix: start)
    }

    /// The smallest byte string greater than every string starting with `prefix`: the prefix
    /// with trailing 0xFF bytes dropped and its last byte incremented; nil if there is none.
    static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

extension String {
    /// Whether the UTF-8 bytes of `self` begin with those of `prefix` (a byte-wise test, unlike
    /// `hasPrefix`, which compares characters).
    func hasBytePrefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }
}
