import FlotillaClient
import FlotillaCore
import FlotillaNetwork
import Logging

/// The host-gw pod network, as flannel's `host-gw` backend builds it: for every other node with
/// a pod subnet and an address on a network this host is attached to, a route to the subnet
/// via that address (`ip route replace 10.244.1.0/24 via 172.30.5.11 proto 151`).
///
/// A Node informer feeds it; every change, and a resync every ``resyncInterval``, compares the
/// routes the Nodes call for (``HostGatewayPlan/desired(peers:ownName:ownSubnet:attachedNetworks:localAddresses:)``)
/// with the routes marked as the agent's in the routing table, and adds, replaces and deletes
/// routes to match: a deleted node's route goes, a node's changed address or subnet is followed,
/// and routes left by an earlier run are taken up or removed. Each node left out is logged once
/// per reason.
public final class NodeRoutes: Sendable {
    public let nodeName: String
    public let podSubnet: IPv4Subnet
    /// The pod bridge, whose network is no way to other nodes.
    public let bridge: String
    public let resyncInterval: Duration
    private let client: KubernetesClient
    private let table: any PodRouteTable
    private let logger: Logger

    public init(
        client: KubernetesClient, nodeName: String, podSubnet: IPv4Subnet, bridge: String, resyncInterval: Duration = .seconds(30),
        table: any PodRouteTable = HostRoutingTable(), logger: Logger = Logger(label: "flotilla.agent.routes")
    ) {
        self.client = client
        self.nodeName = nodeName
        self.podSubnet = podSubnet
        self.bridge = bridge
        self.resyncInterval = resyncInterval
        self.table = table
        self.logger = logger
    }

    /// Keeps the routes in step with the Nodes until cancelled.
    public func run() async throws {
        let nodes = Informer(client: client, resource: .nodes, logger: logger)
        let (changes, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        nodes.onAdd { _ in signal.yield() }
        nodes.onUpdate { old, new in
            if PodNetworkPeer(node: old) != PodNetworkPeer(node: new) { signal.yield() }
        }
        nodes.onDelete { _ in signal.yield() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await nodes.run() }
            group.addTask { [resyncInterval] in
                while !Task.isCancelled {
                    try await Task.sleep(for: resyncInterval)
                    signal.yield()
                }
            }
            group.addTask { [self] in
                try await nodes.waitForSync()
                signal.yield()
                var reported: [String: HostGatewayPlan.Skip] = [:]
                for await _ in changes {
                    await reconcile(nodes.cache.list(), reported: &reported)
                }
            }
            try await group.next()
            group.cancelAll()
            signal.finish()
        }
    }

    /// Brings the routing table to what `nodes` call for; failures are logged and retried on
    /// the next change or resync.
    private func reconcile(_ nodes: [JSON], reported: inout [String: HostGatewayPlan.Skip]) async {
        do {
            let addresses = try await table.interfaceAddresses()
            let desired = HostGatewayPlan.desired(
                peers: nodes.compactMap(PodNetworkPeer.init(node:)), ownName: nodeName, ownSubnet: podSubnet,
                attachedNetworks: addresses.filter { $0.interface != bridge && $0.interface != "lo" }.map(\.network),
                localAddresses: Set(addresses.map(\.address)))
            report(desired.skipped, reported: &reported)
            let changes = HostGatewayPlan.changes(desired: desired.routes, current: try await table.installedRoutes())
            for route in changes.delete {
                try await table.delete(route)
                logger.info("removed the route to a node's pod subnet", metadata: ["route": .string(route.description)])
            }
            for route in changes.replace {
                try await table.replace(route)
                logger.info("routed a node's pod subnet", metadata: ["route": .string(route.description)])
            }
        } catch {
            logger.warning("cannot bring the pod network's routes up to date", metadata: ["error": "\(error)"])
        }
    }

    /// Logs each node left out, once for each reason.
    private func report(_ skipped: [String: HostGatewayPlan.Skip], reported: inout [String: HostGatewayPlan.Skip]) {
        for (node, reason) in skipped.sorted(by: { $0.key < $1.key }) where reported[node] != reason {
            let level: Logger.Level = reason == .simulated || reason == .incomplete ? .debug : .notice
            logger.log(level: level, "no route to a node's pods", metadata: ["peer": .string(node), "reason": .string(reason.description)])
        }
        reported = skipped
    }
}
