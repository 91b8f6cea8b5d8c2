import FlotillaCore
import NIOCore

/// Parses server addresses written `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address, as
/// the flags and resolv.conf give them.
public enum DNSAddress {
    /// The socket address of `text`, with `defaultPort` when it names none; throws `invalid`.
    public static func parse(_ text: String, defaultPort: Int = 53) throws -> SocketAddress {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid(text) }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { throw invalid(text) }
                port = value
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { throw invalid(text) }
            port = value
            host = host[..<colon]
        }
        guard (0...65535).contains(port) else { throw invalid(text) }
        do {
            return try SocketAddress(ipAddress: String(host), port: port)
        } catch {
            throw invalid(text)
        }
    }

    private static func invalid(_ text: String) -> FlotillaError {
        FlotillaError(.invalid, "\"\(text)\" is not a DNS server address (IP, IP:PORT or [IPv6]:PORT)")
    }
}
