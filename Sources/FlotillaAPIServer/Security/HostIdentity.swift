#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's name and its IP addresses, for the serving certificate's SANs.
public enum HostIdentity {
    /// The host name (`gethostname`), or nil if it cannot be read.
    public static func hostname() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

    /// The raw bytes (4 or 16) of every non-loopback, non-link-local address of the host's
    /// interfaces, without duplicates.
    public static func nonLoopbackAddresses() -> [[UInt8]] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var out: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let sa = entry.pointee.ifa_addr else { continue }
            var bytes: [UInt8]
            switch Int32(sa.pointee.sa_family) {
            case AF_INET:
                bytes = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    withUnsafeBytes(of: sin.pointee.sin_addr) { Array($0) }
                }
                if bytes[0] == 127 || (bytes[0] == 169 && bytes[1] == 254) { continue }
            case AF_INET6:
                bytes = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    withUnsafeBytes(of: sin6.pointee.sin6_addr) { Array($0) }
                }
                let loopback = bytes == [UInt8](repeating: 0, count: 15) + [1]
                let linkLocal = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80
                if loopback || linkLocal { continue }
            default:
                continue
            }
            if !out.contains(bytes) { out.append(bytes) }
        }
        return out
    }

    /// The bytes of a textual IPv4 or IPv6 address, or nil if `text` is not one.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
