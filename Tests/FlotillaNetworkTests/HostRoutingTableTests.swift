import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct HostRoutingTableTests {
    @Test func parsesGatewayRoutesAndLeavesOutTheRest() {
        let routes = HostRoutingTable.parseRoutes("""
            10.244.2.0/24 via 172.30.5.11 dev veth0
            10.244.3.0/24 via 172.30.5.12 dev veth0 metric 5
            172.30.5.0/24 dev veth0 scope link
            default via 172.30.5.1 dev veth0
            10.9.9.9 via 172.30.5.13 dev veth0
            """)
        #expect(routes == [
            PodSubnetRoute(destination: IPv4Subnet("10.244.2.0/24")!, gateway: IPv4Address("172.30.5.11")!),
            PodSubnetRoute(destination: IPv4Subnet("10.244.3.0/24")!, gateway: IPv4Address("172.30.5.12")!),
            PodSubnetRoute(destination: IPv4Subnet("10.9.9.9/32")!, gateway: IPv4Address("172.30.5.13")!),
        ])
    }

    @Test func parsesInterfaceAddresses() {
        let addresses = HostRoutingTable.parseAddresses("""
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            2: veth0@if7    inet 172.30.5.10/24 brd 172.30.5.255 scope global veth0\\       valid_lft forever preferred_lft forever
            3: flotilla0    inet 10.244.1.1/24 brd 10.244.1.255 scope global flotilla0\\       valid_lft forever preferred_lft forever
            """)
        #expect(addresses.map(\.interface) == ["lo", "veth0", "flotilla0"])
        #expect(addresses.map(\.address.description) == ["127.0.0.1", "172.30.5.10", "10.244.1.1"])
        #expect(addresses.map(\.network.description) == ["127.0.0.0/8", "172.30.5.0/24", "10.244.1.0/24"])
    }
}
