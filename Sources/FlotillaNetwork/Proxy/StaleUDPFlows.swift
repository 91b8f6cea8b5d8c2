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

    /// The deletions to make before the rules of `current` are applied: every flow of a UDP
    /// service port that had no ready endpoint and now has some. Until the new rules are in
    /// place such a port's packets are rejected before their flows are stored, so no new flow
    /// can be lost to these deletions.
    public static func beforeApplying(_ current: [ProxiedServicePort], after previous: [ProxiedServicePort]) -> [Deletion] {
        let served = Set(udp(previous).filter { !$0.readyEndpoints.isEmpty }.map(key))
        var deletions = Deletions()
        for port in udp(current) where !port.readyEndpoints.isEmpty && !served.contains(key(port)) {
            deletions.add(Deletion(originalDestination: port.clusterIP, originalPort: port.port))
            if let nodePort = port.nodePort { deletions.add(Deletion(originalPort: nodePort)) }
        }
        return deletions.list
    }

    /// The deletions to make once the rules of `current` are applied: the flows of each UDP
    /// service port's endpoints that are no longer ready (at its cluster IP and its node port).
    /// Made earlier, the old rules could send a new flow to such an endpoint again.
    public static func afterApplying(_ current: [ProxiedServicePort], after previous: [ProxiedServicePort]) -> [Deletion] {
        var ready: [String: Set<IPv4Address>] = [:]
        for port in udp(current) { ready[key(port)] = Set(port.readyEndpoints.map(\.address)) }
        var deletions = Deletions()
        for port in udp(previous) {
            for address in Set(port.readyEndpoints.map(\.address)).subtracting(ready[key(port)] ?? []).sorted() {
                deletions.add(Deletion(originalDestination: port.clusterIP, originalPort: port.port, endpoint: address))
                if let nodePort = port.nodePort { deletions.add(Deletion(originalPort: nodePort, endpoint: address)) }
            }
        }
        return deletions.list
    }

    private static func udp(_ ports: [ProxiedServicePort]) -> [ProxiedServicePort] { ports.filter { $0.transportProtocol == .udp } }

    private static func key(_ port: ProxiedServicePort) -> String { "\(port.clusterIP):\(port.port)" }

    /// Deletions in the order added, each once.
    private struct Deletions {
        var list: [Deletion] = []
        var seen: Set<Deletion> = []

        mutating func add(_ deletion: Deletion) {
            if seen.insert(deletion).inserted { list.append(deletion) }
        }
    }
}
