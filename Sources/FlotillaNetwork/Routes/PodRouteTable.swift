/// Where a node keeps its host-gw routes: the host's routing table (``HostRoutingTable``), or a
/// stand-in for tests. Only routes the agent installed are listed, replaced or deleted.
public protocol PodRouteTable: Sendable {
    /// The routes the agent installed.
    func installedRoutes() async throws -> [PodSubnetRoute]
    /// Installs `route`, replacing a route to the same subnet.
    func replace(_ route: PodSubnetRoute) async throws
    /// Deletes the agent's route to `route.destination`.
    func delete(_ route: PodSubnetRoute) async throws
    /// The IPv4 addresses of the host's interfaces.
    func interfaceAddresses() async throws -> [HostRoutingTable.InterfaceAddress]
}
