import FlotillaAPI
import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct PodNetworkPeerTests {
    @Test func readsSubnetAddressAndRuntimeFromANode() {
        let node: JSON = [
            "metadata": ["name": "b", "annotations": [NodeAnnotations.runtime: "cri"]],
            "spec": ["podCIDR": "10.244.2.0/24"],
            "status": ["addresses": [["type": "Hostname", "address": "b"], ["type": "InternalIP", "address": "172.30.5.11"]]],
        ]
        #expect(PodNetworkPeer(node: node) == PodNetworkPeer(
            name: "b", podSubnet: IPv4Subnet("10.244.2.0/24"), internalIP: IPv4Address("172.30.5.11"), simulated: false))
    }

    @Test func aNodeWithoutSubnetOrAddressHasNeitherAndHollowNodesAreSimulated() {
        let node: JSON = ["metadata": ["name": "sim-0", "annotations": [NodeAnnotations.runtime: "simulated"]], "spec": [:]]
        #expect(PodNetworkPeer(node: node) == PodNetworkPeer(name: "sim-0", podSubnet: nil, internalIP: nil, simulated: true))
        #expect(PodNetworkPeer(node: ["spec": [:]]) == nil)
    }
}
