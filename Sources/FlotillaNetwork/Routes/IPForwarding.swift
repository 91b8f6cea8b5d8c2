import FlotillaCore
import Foundation

/// The kernel's IPv4 forwarding switch (`net.ipv4.ip_forward`) of the agent's network
/// namespace, which a node routing its pods' traffic to and from other nodes needs on.
public enum IPForwarding {
    public static let path = "/proc/sys/net/ipv4/ip_forward"

    /// Turns forwarding on unless it already is.
    public static func enable(path: String = path) throws {
        let current = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard current != "1" else { return }
        do {
            try "1\n".write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw FlotillaError(.internalError, "cannot turn on IPv4 forwarding in \(path): \(error)")
        }
    }
}
