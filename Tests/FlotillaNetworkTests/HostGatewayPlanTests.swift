import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct HostGatewayPlanTests {
    let own = IPv4Subnet("10.244.1.0/24")!
    let attached = [IPv4Subnet("172.30.5.0/24")!]
    let local: Set<IPv4Address> = [IPv4Address("172.30.5.10")!, IPv4Address("127.0.0.1")!]

    func peer(_ name: String, _ subnet: String?, _ address: String?, simulated: Bool = false) -> PodNetworkPeer {
        PodNetworkPeer(name: name, podSubnet: subnet.flatMap { IPv4Subnet($0) }, internalIP: address.flatMap { IPv4Address($0) }, simulated: simulated)
    }

    func route(_ subnet: String, _ gateway: String) -> PodSubnetRoute {
        PodSubnetRoute(destination: IPv4Subnet(subnet)!, gateway: IPv4Address(gateway)!)
    }

    @Test func routesEveryOtherReachableNodeAndSaysWhyNotTheRest() {
        let desired = HostGatewayPlan.desired(
            peers: [
                peer("self", "10.244.1.0/24", "172.30.5.10"),
                peer("b", "10.244.2.0/24", "172.30.5.11"),
                peer("c", "10.244.3.0/24", "172.30.5.12"),
                peer("new", nil, "172.30.5.13"),
                peer("hollow", "10.244.9.0/24", "198.18.0.1", simulated: true),
                peer("same", "10.244.1.0/25", "172.30.5.14"),
                peer("here", "10.244.4.0/24", "127.0.0.1"),
                peer("far", "10.244.5.0/24", "192.0.2.7"),
            ],
            ownName: "self", ownSubnet: own, attachedNetworks: attached, localAddresses: local)
        #expect(desired.routes == [route("10.244.2.0/24", "172.30.5.11"), route("10.244.3.0/24", "172.30.5.12")])
        #expect(desired.skipped == [
            "new": .incomplete, "hollow": .simulated, "same": .overlapsOwnSubnet(own),
            "here": .localAddress(IPv4Address("127.0.0.1")!), "far": .unreachable(IPv4Address("192.0.2.7")!),
        ])
    }

    @Test func twoNodesClaimingOverlappingSubnetsAreBothLeftOut() {
        let desired = HostGatewayPlan.desired(
            peers: [peer("b", "10.244.2.0/24", "172.30.5.11"), peer("c", "10.244.2.0/23", "172.30.5.12"), peer("d", "10.244.4.0/24", "172.30.5.13")],
            ownName: "self", ownSubnet: own, attachedNetworks: attached, localAddresses: local)
        #expect(desired.routes == [route("10.244.4.0/24", "172.30.5.13")])
        #expect(desired.skipped == ["b": .contested(IPv4Subnet("10.244.2.0/24")!), "c": .contested(IPv4Subnet("10.244.2.0/23")!)])
    }

    @Test func changesAddMissingReplaceMovedAndDeleteGoneRoutes() {
        let changes = HostGatewayPlan.changes(
            desired: [route("10.244.2.0/24", "172.30.5.11"), route("10.244.3.0/24", "172.30.5.22"), route("10.244.4.0/24", "172.30.5.13")],
            current: [route("10.244.2.0/24", "172.30.5.11"), route("10.244.3.0/24", "172.30.5.12"), route("10.244.7.0/24", "172.30.5.17")])
        #expect(changes.replace == [route("10.244.3.0/24", "172.30.5.22"), route("10.244.4.0/24", "172.30.5.13")])
        #expect(changes.delete == [route("10.244.7.0/24", "172.30.5.17")])
    }

    @Test func nothingToDoWhenTheTableMatches() {
        let routes = [route("10.244.2.0/24", "172.30.5.11"), route("10.244.3.0/24", "172.30.5.12")]
        #expect(HostGatewayPlan.changes(desired: Set(routes), current: routes).isEmpty)
    }

    @Test func everyRouteGoesWhenNoNodeWantsOne() {
        let changes = HostGatewayPlan.changes(desired: [], current: [route("10.244.3.0/24", "172.30.5.12"), route("10.244.2.0/24", "172.30.5.11")])
        #expect(changes.replace.isEmpty)
        #expect(changes.delete == [route("10.244.2.0/24", "172.30.5.11"), route("10.244.3.0/24", "172.30.5.12")])
    }
}
