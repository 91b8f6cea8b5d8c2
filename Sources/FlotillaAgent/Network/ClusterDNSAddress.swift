import FlotillaCore
import Logging

/// Makes the cluster DNS address local to the node, as NodeLocal DNSCache does: a dummy
/// interface (`flotilla-dns`) carrying `<address>/32`, so that a server can bind
/// `<address>:53` and pods reach it without any NAT. Idempotent: an interface or address
/// that is already there is fine (several agents on one host share it).
enum ClusterDNSAddress {
    /// Creates the interface and address where missing and brings the interface up; throws
    /// with the failing command's output otherwise (for instance when not root).
    static func ensure(_ address: IPv4Address, interface: String) async throws {
        #if os(Linux)
        try await tolerate("File exists") { try await HostCommand.run("ip", ["link", "add", interface, "type", "dummy"]) }
        try await tolerate("File exists") { try await HostCommand.run("ip", ["addr", "add", "\(address)/32", "dev", interface]) }
        _ = try await HostCommand.run("ip", ["link", "set", interface, "up"])
        #endif
    }

    /// Runs `command`, treating a failure whose output contains `benign` as success.
    private static func tolerate(_ benign: String, _ command: () async throws -> String) async throws {
        do {
            _ = try await command()
        } catch let error as FlotillaError where error.message.contains(benign) {
            return
        }
    }
}
