import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Blocking IPv4 sockets on loopback for tests: a tiny DNS client and the pieces of a fake
/// upstream server.
enum LoopbackSockets {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func address(_ host: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    static func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `message` over UDP to 127.0.0.1:`port` and returns the first answer, waiting on a
    /// thread of its own.
    static func udpExchange(_ message: [UInt8], port: Int, timeout: Double = 5) async throws -> [UInt8] {
        try await onOwnThread { try udpExchangeBlocking(message, port: port, timeout: timeout) }
    }

    private static func udpExchangeBlocking(_ message: [UInt8], port: Int, timeout: Double) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        setTimeout(fd, timeout)
        let sent = withSockaddr(address("127.0.0.1", port)) { sendto(fd, message, message.count, 0, $0, $1) }
        guard sent == message.count else { throw Failure(description: "sendto failed") }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { throw Failure(description: "no UDP answer from port \(port)") }
        return Array(buffer[0..<count])
    }

    /// Sends `message` over TCP (length-framed) to 127.0.0.1:`port` and returns the answer,
    /// waiting on a thread of its own.
    static func tcpExchange(_ message: [UInt8], port: Int, timeout: Double = 5) async throws -> [UInt8] {
        try await onOwnThread { try tcpExchangeBlocking(message, port: port, timeout: timeout) }
    }

    private static func tcpExchangeBlocking(_ message: [UInt8], port: Int, timeout: Double) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        setTimeout(fd, timeout)
        guard withSockaddr(address("127.0.0.1", port), { connect(fd, $0, $1) }) == 0 else {
            throw Failure(description: "cannot connect to port \(port)")
        }
        let framed = [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
        guard send(fd, framed, framed.count, 0) == framed.count else { throw Failure(description: "send failed") }
        let length = try readExactly(fd, 2)
        return try readExactly(fd, Int(length[0]) << 8 | Int(length[1]))
    }

    static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while result.count < count {
            let read = recv(fd, &buffer, count - result.count, 0)
            guard read > 0 else { throw Failure(description: "connection ended early") }
            result += buffer[0..<read]
        }
        return result
    }
}
