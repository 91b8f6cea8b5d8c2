import FlotillaCore
import Foundation
@testable import FlotillaNetwork

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in upstream DNS server on 127.0.0.1 (UDP and TCP on one port), so forwarding is
/// tested without any real resolver. It answers A queries with 192.0.2.1, except:
/// `big.*` is truncated over UDP and 40 addresses over TCP, and `silent.*` is never answered.
final class FakeUpstream: @unchecked Sendable {
    let port: Int
    private let udp: Int32
    private let tcp: Int32
    private let counts = Locked((udp: 0, tcp: 0))

    init() throws {
        // The kernel picks the UDP port, and TCP may already use that number (a listener, or a
        // connection's local port): then another pick is tried, as the DNS server itself does.
        for _ in 0..<8 {
            guard let pair = Self.bindPair() else { continue }
            (udp, tcp, port) = pair
            Thread { [self] in serveUDP() }.start()
            Thread { [self] in serveTCP() }.start()
            return
        }
        throw LoopbackSockets.Failure(description: "cannot bind the fake upstream")
    }

    /// A UDP socket on a kernel-picked port of 127.0.0.1 and a TCP listener on the same port.
    private static func bindPair() -> (udp: Int32, tcp: Int32, port: Int)? {
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackSockets.address("127.0.0.1", 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(udp, $0, length) == 0 && getsockname(udp, $0, &length) == 0 }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var one: Int32 = 1
        setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bound, LoopbackSockets.withSockaddr(LoopbackSockets.address("127.0.0.1", port), { bind(tcp, $0, $1) }) == 0, listen(tcp, 16) == 0 else {
            close(udp)
            close(tcp)
            return nil
        }
        return (udp, tcp, port)
    }
    /// How many queries arrived over each transport.
    var queries: (udp: Int, tcp: Int) { counts.withLock { $0 } }

    func stop() {
        shutdown(udp, Int32(SHUT_RDWR))
        shutdown(tcp, Int32(SHUT_RDWR))
    }

    private func serveUDP() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &peer) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 0 else { break }
            counts.withLock { $0.udp += 1 }
            guard let answer = answer(Array(buffer[0..<count]), overTCP: false) else { continue }
            _ = LoopbackSockets.withSockaddr(peer) { sendto(udp, answer, answer.count, 0, $0, $1) }
        }
        close(udp)
    }

    private func serveTCP() {
        while true {
            let connection = accept(tcp, nil, nil)
            guard connection >= 0 else { break }
            counts.withLock { $0.tcp += 1 }
            if let length = try? LoopbackSockets.readExactly(connection, 2),
                let query = try? LoopbackSockets.readExactly(connection, Int(length[0]) << 8 | Int(length[1])),
                let answer = answer(query, overTCP: true)
            {
                let framed = [UInt8(answer.count >> 8), UInt8(answer.count & 0xFF)] + answer
                _ = send(connection, framed, framed.count, 0)
            }
            close(connection)
        }
        close(tcp)
    }

    private func answer(_ bytes: [UInt8], overTCP: Bool) -> [UInt8]? {
        guard case .query(let query) = DNSQueryParse.parse(bytes), !query.name.key.hasPrefix("silent.") else { return nil }
        let name = query.name.key
        var response = DNSResponse(answers: [DNSRecord(name: name, ttl: 60, data: .a(IPv4Address("192.0.2.1")!))])
        if name.hasPrefix("big.") {
            response.answers = (1...40).map { DNSRecord(name: name, ttl: 60, data: .a(IPv4Address(0xC000_0200 + UInt32($0)))) }
            return response.encode(answering: query, limit: overTCP ? .max : 512)
        }
        return response.encode(answering: query)
    }
}
