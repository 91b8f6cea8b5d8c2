import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A UDP load generator: `sockets` threads, each with its own socket to 127.0.0.1:`port` and
/// `window` queries outstanding, sending a new A query for a random name whenever an answer
/// comes back. Counts answers that are NOERROR with at least one record, and their latency.
/// Queries unanswered for 1 s count as lost and are replaced.
struct LoadGenerator {
    let port: Int
    let names: [String]
    let seconds: Double
    let sockets: Int
    let window: Int

    /// Latency histogram buckets of 10 µs, up to 100 ms.
    static let buckets = 10_000

    final class Tally: @unchecked Sendable {
        var answered = 0
        var failed = 0
        var lost = 0
        var sent = 0
        var histogram = [Int](repeating: 0, count: LoadGenerator.buckets + 1)
    }

    func run() -> [String: Any] {
        let queries = names.map(Self.query)
        let tallies = (0..<sockets).map { _ in Tally() }
        let start = Date()
        let end = Self.nanoseconds() + UInt64(seconds * 1e9)
        let done = DispatchGroup()
        for tally in tallies {
            done.enter()
            Thread {
                Self.drive(port: port, queries: queries, window: window, until: end, tally: tally)
                done.leave()
            }.start()
        }
        done.wait()
        let elapsed = Date().timeIntervalSince(start)
        var histogram = [Int](repeating: 0, count: Self.buckets + 1)
        for tally in tallies { for (index, count) in tally.histogram.enumerated() { histogram[index] += count } }
        let answered = tallies.reduce(0) { $0 + $1.answered }
        return [
            "queries_per_second": Double(answered) / elapsed,
            "answered": answered,
            "failed": tallies.reduce(0) { $0 + $1.failed },
            "lost": tallies.reduce(0) { $0 + $1.lost },
            "sent": tallies.reduce(0) { $0 + $1.sent },
            "seconds": elapsed,
            "p50_ms": Self.percentile(histogram, 0.50),
            "p99_ms": Self.percentile(histogram, 0.99),
        ]
    }

    static func percentile(_ histogram: [Int], _ fraction: Double) -> Double {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return 0 }
        var seen = 0
        for (index, count) in histogram.enumerated() {
            seen += count
            if Double(seen) >= fraction * Double(total) { return Double(index + 1) * 0.01 }
        }
        return Double(buckets) * 0.01
    }

    /// An A query for `name` with RD set and id 0 (patched per send).
    static func query(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes += label.utf8
        }
        return bytes + [0, 0, 1, 0, 1]
    }

    static func drive(port: Int, queries: [[UInt8]], window: Int, until end: UInt64, tally: Tally) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sentAt = [UInt64](repeating: 0, count: 65536)
        var nextID: UInt16 = 0
        var outstanding = 0
        var buffer = [UInt8](repeating: 0, count: 2048)
        var generator = SystemRandomNumberGenerator()
        while true {
            let now = Self.nanoseconds()
            if now >= end { break }
            while outstanding < window {
                var message = queries[Int.random(in: 0..<queries.count, using: &generator)]
                nextID &+= 1
                message[0] = UInt8(nextID >> 8)
                message[1] = UInt8(nextID & 0xFF)
                sentAt[Int(nextID)] = Self.nanoseconds()
                guard send(fd, message, message.count, 0) == message.count else { break }
                outstanding += 1
                tally.sent += 1
            }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 12 {
                // Nothing for 100 ms: what is outstanding counts as lost once it is 1 s old.
                let stale = Self.nanoseconds() - 1_000_000_000
                for id in 0..<sentAt.count where sentAt[id] != 0 && sentAt[id] < stale {
                    sentAt[id] = 0
                    outstanding -= 1
                    tally.lost += 1
                }
                continue
            }
            let id = Int(buffer[0]) << 8 | Int(buffer[1])
            guard sentAt[id] != 0 else { continue }
            let latency = Self.nanoseconds() - sentAt[id]
            sentAt[id] = 0
            outstanding -= 1
            let code = buffer[3] & 0x0F
            let answers = Int(buffer[6]) << 8 | Int(buffer[7])
            if code == 0 && answers > 0 {
                tally.answered += 1
                tally.histogram[min(Int(latency / 10_000), buckets)] += 1
            } else {
                tally.failed += 1
            }
        }
    }

    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
