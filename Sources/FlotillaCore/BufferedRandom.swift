#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Random numbers from the operating system, fetched 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` makes a system call for every value and Foundation's `UUID()`
/// opens and reads `/dev/urandom` each time; the API server needs several random values per
/// request (an audit ID, a uid, a generated name), so it draws them from one shared block.
/// The values are as random as the system's (`arc4random_buf`); only the calls are fewer.
public struct BufferedRandom: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        BufferedRandom.pool.withLock { $0.next() }
    }

    /// A random (version 4) UUID in its lowercase text form, as Kubernetes writes uids.
    public static func uuidString() -> String {
        var generator = BufferedRandom()
        var high = generator.next()
        var low = generator.next()
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (value, start) in [(high, 0), (low, 16)] {
            for nibble in 0..<16 {
                let position = start + nibble
                if position == 8 || position == 12 || position == 16 || position == 20 { text.append(UInt8(ascii: "-")) }
                text.append(hex[Int((value >> UInt64(60 - 4 * nibble)) & 0xF)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let pool = Locked(Pool())

    private struct Pool {
        var words = [UInt64](repeating: 0, count: 512)
        var used = 512

        mutating func next() -> UInt64 {
            if used == words.count {
                words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                used = 0
            }
            defer { used += 1 }
            return words[used]
        }
    }
}
