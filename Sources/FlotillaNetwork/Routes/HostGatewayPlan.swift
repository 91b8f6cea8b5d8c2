import FlotillaCore

/// The host-gw routes a node wants, and the changes that take its routing table from what it
/// has to them. Pure: the agent feeds it the Nodes it sees and the routes it finds installed.
public enum HostGatewayPlan {
    /// Why a node gets no route.
    public enum Skip: Hashable, Sendable, CustomStringConvertible {
        /// The node has no `spec.podCIDR` or no InternalIP yet.
        case incomplete
        /// A hollow node runs no pods.
        case simulated
        /// Its pod subnet overlaps this node's own.
        case overlapsOwnSubnet(IPv4Subnet)
        /// Its pod subnet overlaps another node's: neither is routed.
        case contested(IPv4Subnet)
        /// Its address is one of this host's: its pods are local, no route is needed or possible.
        case localAddress(IPv4Address)
        /// Its address is on no network this host is attached to, so it cannot be a next hop.
        case unreachable(IPv4Address)

        public var description: String {
            switch self {
            case .incomplete: return "the node has no pod subnet or no InternalIP yet"
            case .simulated: return "the node is simulated"
            case .overlapsOwnSubnet(let subnet): return "its pod subnet overlaps this node's \(subnet)"
            case .contested(let subnet): return "its pod subnet \(subnet) overlaps another node's"
            case .localAddress(let address): return "its address \(address) is this host's"
            case .unreachable(let address): return "its address \(address) is not on a directly attached network"
            }
        }
    }

    /// The routes this host wants and the nodes it leaves out, by name.
    public struct Desired: Equatable, Sendable {
        public var routes: Set<PodSubnetRoute>
        public var skipped: [String: Skip]
    }

    /// Routes to every other node's pod subnet via its InternalIP.
    ///
    /// - Parameters:
    ///   - ownName: this node, which gets no route.
    ///   - ownSubnet: this node's pod subnet; a node whose subnet overlaps it gets none.
    ///   - attachedNetworks: the networks of this host's interfaces (not the pod bridge);
    ///     a next hop must lie in one of them.
    ///   - localAddresses: this host's own addresses.
    public static func desired(
        peers: [PodNetworkPeer], ownName: String, ownSubnet: IPv4Subnet, attachedNetworks: [IPv4Subnet], localAddresses: Set<IPv4Address>
    ) -> Desired {
        var routes: Set<PodSubnetRoute> = []
        var skipped: [String: Skip] = [:]
        for peer in peers where peer.name != ownName {
            guard !peer.simulated else { skipped[peer.name] = .simulated; continue }
            guard let subnet = peer.podSubnet, let address = peer.internalIP else { skipped[peer.name] = .incomplete; continue }
            guard !subnet.overlaps(ownSubnet) else { skipped[peer.name] = .overlapsOwnSubnet(ownSubnet); continue }
            guard !localAddresses.contains(address) else { skipped[peer.name] = .localAddress(address); continue }
            guard attachedNetworks.contains(where: { $0.contains(address) }) else { skipped[peer.name] = .unreachable(address); continue }
            routes.insert(PodSubnetRoute(destination: subnet, gateway: address))
        }
        // Two nodes claiming overlapping subnets: neither is routed, the cluster is misconfigured.
        let contested = routes.filter { route in routes.contains { $0 != route && $0.destination.overlaps(route.destination) } }
        for route in contested {
            routes.remove(route)
            for peer in peers where peer.podSubnet == route.destination && peer.internalIP == route.gateway {
                skipped[peer.name] = .contested(route.destination)
            }
        }
        return Desired(routes: routes, skipped: skipped)
    }

    /// The routes to install or replace, and those to delete.
    public struct Changes: Equatable, Sendable {
        public var replace: [PodSubnetRoute]
        public var delete: [PodSubnetRoute]

        public var isEmpty: Bool { replace.isEmpty && delete.isEmpty }
    }

    /// What takes the installed routes (`current`, ours only) to `desired`: a route whose
    /// gateway changed is replaced in place; routes to subnets no longer wanted are deleted.
    /// Both lists are sorted by destination, so the same inputs give the same commands.
    public static func changes(desired: Set<PodSubnetRoute>, current: [PodSubnetRoute]) -> Changes {
        let wantedDestinations = Set(desired.map(\.destination))
        let replace = desired.subtracting(current).sorted(by: Self.order)
        var seen: Set<IPv4Subnet> = []
        let delete = current.filter { !wantedDestinations.contains($0.destination) && seen.insert($0.destination).inserted }
        return Changes(replace: replace, delete: delete.sorted(by: Self.order))
    }

    private static func order(_ a: PodSubnetRoute, _ b: PodSubnetRoute) -> Bool {
        (a.destination.network, a.destination.prefixLength, a.gateway) < (b.destination.network, b.destination.prefixLength, b.gateway)
    }
}
