import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A UDP port on 127.0.0.1 that nothing uses now.
enum FreeUDPPort {
    static func loopback() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = LoopbackSockets.address("127.0.0.1", 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw LoopbackSockets.Failure(description: "no free UDP port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
