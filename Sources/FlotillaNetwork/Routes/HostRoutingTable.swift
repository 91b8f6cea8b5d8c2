import FlotillaCore

/// The host's IPv4 routing table and addresses, read and changed with iproute2's `ip`: the
/// executor of ``HostGatewayPlan``. Only routes marked with ``PodSubnetRoute/protocolNumber``
/// are ever listed, replaced or deleted.
public struct HostRoutingTable: PodRouteTable {
    /// An address of one of the host's interfaces, with its network.
    public struct InterfaceAddress: Hashable, Sendable {
        public var interface: String
        public var address: IPv4Address
        public var network: IPv4Subnet

        public init(interface: String, address: IPv4Address, network: IPv4Subnet) {
            self.interface = interface
            self.address = address
            self.network = network
        }
    }

    public init() {}

    /// The routes the agent installed (`ip -4 route show proto 151`).
    public func installedRoutes() async throws -> [PodSubnetRoute] {
        Self.parseRoutes(try await NetworkCommand.run("ip", ["-4", "route", "show", "proto", String(PodSubnetRoute.protocolNumber)]))
    }

    /// Installs `route`, replacing a route to the same subnet.
    public func replace(_ route: PodSubnetRoute) async throws {
        _ = try await NetworkCommand.run("ip", [
            "-4", "route", "replace", route.destination.description, "via", route.gateway.description,
            "proto", String(PodSubnetRoute.protocolNumber),
        ])
    }

    /// Deletes the agent's route to `route.destination`.
    public func delete(_ route: PodSubnetRoute) async throws {
        _ = try await NetworkCommand.run("ip", ["-4", "route", "del", route.destination.description, "proto", String(PodSubnetRoute.protocolNumber)])
    }

    /// The IPv4 addresses of the host's interfaces (`ip -4 -o addr show`).
    public func interfaceAddresses() async throws -> [InterfaceAddress] {
        Self.parseAddresses(try await NetworkCommand.run("ip", ["-4", "-o", "addr", "show"]))
    }

    /// Parses `ip -4 route show` output: `10.244.1.0/24 via 172.30.5.11 dev veth0 …` lines;
    /// lines without a subnet and a `via` are left out.
    public static func parseRoutes(_ text: String) -> [PodSubnetRoute] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let words = line.split(separator: " ")
            guard let first = words.first, let destination = IPv4Subnet(String(first) + (first.contains("/") ? "" : "/32")),
                let via = words.firstIndex(of: "via"), via + 1 < words.count, let gateway = IPv4Address(words[via + 1])
            else { return nil }
            return PodSubnetRoute(destination: destination, gateway: gateway)
        }
    }

    /// Parses `ip -4 -o addr show` output: `2: eth0    inet 192.0.2.2/24 brd … scope global eth0 …` lines.
    public static func parseAddresses(_ text: String) -> [InterfaceAddress] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count > 3, let inet = words.firstIndex(of: "inet"), inet + 1 < words.count else { return nil }
            let cidr = words[inet + 1].split(separator: "/")
            guard cidr.count == 2, let address = IPv4Address(cidr[0]), let bits = Int(cidr[1]), (0...32).contains(bits) else { return nil }
            let label = words[1].hasSuffix(":") ? words[1].dropLast() : words[1]
            let interface = String(label.split(separator: "@").first ?? label)
            return InterfaceAddress(interface: interface, address: address, network: IPv4Subnet(containing: address, prefixLength: bits))
        }
    }
}
