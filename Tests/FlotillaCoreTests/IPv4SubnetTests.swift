import FlotillaCore
import Testing

@Suite struct IPv4SubnetTests {
    @Test func parsesAndPrintsAddresses() {
        #expect(IPv4Address("10.96.0.1")?.description == "10.96.0.1")
        #expect(IPv4Address("10.96.0.1")?.octets == [10, 96, 0, 1])
        for bad in ["", "10.96.0", "10.96.0.256", "10.96.00.1", "10.96.0.1.2", "a.b.c.d", "10.96.0.-1", "10.96.0.1 ", "10..0.1", ".10.96.0", "10.96.0.", "10.96.0.1000", "10.96.0.٣"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
    }

    @Test func parsesSubnetsAndRejectsHostBits() throws {
        let services = try #require(IPv4Subnet("10.96.0.0/12"))
        #expect(services.size == 1 << 20)
        #expect(services.last.description == "10.111.255.255")
        #expect(services.contains(IPv4Address("10.100.1.2")!))
        #expect(!services.contains(IPv4Address("10.112.0.0")!))
        #expect(IPv4Subnet("10.96.0.1/12") == nil)
        #expect(IPv4Subnet("10.96.0.0/33") == nil)
        #expect(IPv4Subnet("10.96.0.0") == nil)
        for bad in ["10.96.0.0/", "10.96.0.0/0123", "10.96.0.0/1a", "10.96.0.0//12", "/12", "10.96.0.0/-1"] {
            #expect(IPv4Subnet(bad) == nil, "\(bad)")
        }
        #expect(IPv4Subnet("10.244.3.0/24")?.description == "10.244.3.0/24")
        #expect(IPv4Subnet("10.0.0.0/08")?.prefixLength == 8)
        #expect(IPv4Subnet("10.0.0.0/008")?.prefixLength == 8)
        #expect(IPv4Subnet("0.0.0.0/0")?.size == 1 << 32)
    }

    @Test func carvesNodeSubnetsAndOffsets() throws {
        let pods = try #require(IPv4Subnet("10.244.0.0/16"))
        #expect(pods.subnet(3, prefixLength: 24).description == "10.244.3.0/24")
        #expect(pods.subnet(255, prefixLength: 24).description == "10.244.255.0/24")
        #expect(pods.offset(of: IPv4Address("10.244.1.5")!) == 261)
        #expect(pods.offset(of: IPv4Address("10.245.0.0")!) == nil)
        #expect(pods.address(at: 261).description == "10.244.1.5")
        #expect(pods.overlaps(IPv4Subnet("10.244.7.0/24")!))
        #expect(IPv4Subnet("10.0.0.0/8")!.overlaps(pods))
        #expect(!pods.overlaps(IPv4Subnet("10.96.0.0/12")!))
    }
}
