import FlotillaCore

/// Makes the cluster DNS address local to the node, as NodeLocal DNSCache does: a dummy
/// interface (`flotilla-dns`) carrying `<address>/32`, so that a server can bind
/// `<address>:53` and pods reach it without any NAT. Where the kernel has no dummy interfaces
/// (some containers), the address goes on `lo` instead, which Linux delivers to just the same.
/// Idempotent: an interface or address already there is fine (several agents on one host
/// share it).
enum ClusterDNSAddress {
    /// Creates the interface and address where missing and brings the interface up; returns
    /// the interface that carries the address. Throws with the failing command's output
    /// otherwise (for instance when not root).
    @discardableResult
    static func ensure(_ address: IPv4Address, interface: String) async throws -> String {
        #if os(Linux)
        var device = interface
        do {
            _ = try await HostCommand.run("ip", ["link", "add", interface, "type", "dummy"])
        } catch let error as FlotillaError where error.message.contains("File exists") {
            // Made by an earlier run or another agent on this host.
        } catch let error as FlotillaError where error.message.contains("Unknown device type") || error.message.contains("not supported") {
            device = "lo"
        }
        do {
            _ = try await HostCommand.run("ip", ["addr", "add", "\(address)/32", "dev", device])
        } catch let error as FlotillaError where error.message.contains("File exists") || error.message.contains("already assigned") {
            // There already.
        }
        _ = try await HostCommand.run("ip", ["link", "set", device, "up"])
        return device
        #else
        return interface
        #endif
    }
}
