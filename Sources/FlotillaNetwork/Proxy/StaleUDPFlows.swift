import FlotillaCore

/// The conntrack entries of UDP service traffic that a change of endpoints leaves pointing the
/// wrong way, as kube-proxy clears them. UDP has no connection to end, so a client that keeps
/// sending from one port keeps its conntrack entry, and with it the endpoint it was DNATed to,
/// for as long as it sends: when that endpoint goes away its flows must be deleted so the next
/// datagram is DNATed afresh. And a port that had no ready endpoint kept its traffic un-NATed
/// in conntrack: once it has endpoints, those entries go too.
public enum StaleUDPFlows {
    /// One `conntrack -D` for UDP flows matching every field given.
    public struct Deletion: Sendable, Hashable, CustomStringConvertible {
        /// The destination the client sent to (`--orig-dst`).
        public var originalDestination: IPv4Address?
        /// The destination port the client sent to (`--orig-port-dst`).
        public var originalPort: Int?
        /// The endpoint the flow was DNATed to (`--dst-nat`).
        public var endpoint: IPv4Address?

        public init(originalDestination: IPv4Address? = nil, originalPort: Int? = nil, endpoint: IPv4Address? = nil) {
            self.originalDestination = originalDestination
            self.originalPort = originalPort
            self.endpoint = endpoint
        }

        /// `conntrack`'s arguments.
        public var arguments: [String] {
            var arguments = ["-D", "-p", "udp"]
            if let originalDestination { arguments += ["--orig-dst", originalDestination.description] }
            if let originalPort { arguments += ["--orig-port-dst", String(originalPort)] }
            if let endpoint { arguments += ["--dst-nat", endpoint.description] }
            return arguments
        }

        public var description: String { arguments.dropFirst(3).joined(separator: " ") }
    }

    /// The deletions that going from `previous` to `current` calls for: each UDP service port's
    /// endpoints no longer ready (at its cluster IP and its node port), and every flow of a UDP
    /// service port that had no ready endpoint and now has some.
    public static func between(_ previous: [ProxiedServicePort], _ current: [ProxiedServicePort]) -> [Deletion] {
        let udp = { (ports: [ProxiedServicePort]) in ports.filter { $0.transportProtocol == .udp } }
        var before: [String: ProxiedServicePort] = [:]
        for port in udp(previous) { before["\(port.clusterIP):\(port.port)"] = port }
        var deletions: [Deletion] = []
        var seen: Set<Deletion> = []
        func add(_ deletion: Deletion) {
            if seen.insert(deletion).inserted { deletions.append(deletion) }
        }
        var now: [String: Set<IPv4Address>] = [:]
        for port in udp(current) {
            let ready = Set(port.readyEndpoints.map(\.address))
            now["\(port.clusterIP):\(port.port)"] = ready
            let wasServed = before["\(port.clusterIP):\(port.port)"].map { !$0.readyEndpoints.isEmpty } ?? false
            if !ready.isEmpty, !wasServed {
                add(Deletion(originalDestination: port.clusterIP, originalPort: port.port))
                if let nodePort = port.nodePort { add(Deletion(originalPort: nodePort)) }
            }
        }
        for port in udp(previous) {
            let ready = now["\(port.clusterIP):\(port.port)"] ?? []
            for address in Set(port.readyEndpoints.map(\.address)).subtracting(ready).sorted() {
                add(Deletion(originalDestination: port.clusterIP, originalPort: port.port, endpoint: address))
                if let nodePort = port.nodePort { add(Deletion(originalPort: nodePort, endpoint: address)) }
            }
        }
        return deletions
    }
}
