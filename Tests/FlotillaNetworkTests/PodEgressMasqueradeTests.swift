import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct PodEgressMasqueradeTests {
    let masquerade = PodEgressMasquerade(podSubnet: IPv4Subnet("10.244.3.0/24")!, clusterNetwork: IPv4Subnet("10.244.0.0/16")!, bridge: "flotilla0")
    var append: [String] { ["-A", "FLOTILLA-POD-EGRESS", "-s", "10.244.3.0/24", "!", "-d", "10.244.0.0/16", "-j", "MASQUERADE"] }

    @Test func theDefaultBridgeUsesTheBaseChainOthersASuffixOfTheirOwn() {
        #expect(masquerade.chain == "FLOTILLA-POD-EGRESS")
        let a = PodEgressMasquerade.chainName(bridge: "fle1a2b3c")
        let b = PodEgressMasquerade.chainName(bridge: "fle1a2b3d")
        #expect(a.hasPrefix("FLOTILLA-POD-EGRESS-") && b.hasPrefix("FLOTILLA-POD-EGRESS-"))
        #expect(a != b)
        #expect(a.count == 28 && b.count == 28)
        #expect(a == PodEgressMasquerade.chainName(bridge: "fle1a2b3c"))
    }

    @Test func masqueradesOnlyTheSubnetsTrafficLeavingThePodNetwork() {
        #expect(masquerade.rule == "-A FLOTILLA-POD-EGRESS -s 10.244.3.0/24 ! -d 10.244.0.0/16 -j MASQUERADE")
    }

    @Test func createsChainRuleAndJumpOnAFreshHost() {
        #expect(masquerade.commands(chainExists: false, chainRules: [], jumpExists: false) == [
            ["-N", "FLOTILLA-POD-EGRESS"], append, ["-A", "POSTROUTING", "-j", "FLOTILLA-POD-EGRESS"],
        ])
    }

    @Test func changesNothingWhenEverythingIsInPlace() {
        #expect(masquerade.commands(chainExists: true, chainRules: [masquerade.rule], jumpExists: true).isEmpty)
    }

    @Test func addsOnlyWhatIsMissing() {
        #expect(masquerade.commands(chainExists: true, chainRules: [masquerade.rule], jumpExists: false) == [["-A", "POSTROUTING", "-j", "FLOTILLA-POD-EGRESS"]])
        #expect(masquerade.commands(chainExists: true, chainRules: [], jumpExists: true) == [append])
    }

    @Test func rewritesAChainHoldingAnotherSubnetsRuleOrDuplicates() {
        let old = "-A FLOTILLA-POD-EGRESS -s 10.244.9.0/24 ! -d 10.244.0.0/16 -j MASQUERADE"
        #expect(masquerade.commands(chainExists: true, chainRules: [old], jumpExists: true) == [["-F", "FLOTILLA-POD-EGRESS"], append])
        #expect(masquerade.commands(chainExists: true, chainRules: [masquerade.rule, masquerade.rule], jumpExists: true) == [["-F", "FLOTILLA-POD-EGRESS"], append])
    }
}
