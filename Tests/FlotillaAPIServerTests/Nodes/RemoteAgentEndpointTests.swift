import FlotillaAPI
import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Where a Node says its agent listens")
struct RemoteAgentEndpointTests {
    func node(port: JSON = 10250, certificate: JSON = "PEM", addresses: JSON = [["type": "InternalIP", "address": "192.0.2.7"]]) -> JSON {
        [
            "metadata": ["name": "worker-1", "annotations": [NodeAnnotations.agentCertificate: certificate]],
            "status": ["addresses": addresses, "daemonEndpoints": ["kubeletEndpoint": ["Port": port]]],
        ]
    }

    @Test func readsAddressPortAndCertificate() throws {
        let endpoint = try #require(RemoteAgent.Endpoint(node: node()))
        #expect(endpoint.authority == "192.0.2.7:10250")
        #expect(endpoint.certificatePEM == "PEM")
        let v6 = try #require(RemoteAgent.Endpoint(node: node(addresses: [["type": "Hostname", "address": "w"], ["type": "InternalIP", "address": "fd00::7"]])))
        #expect(v6.authority == "[fd00::7]:10250")
    }

    @Test func anIncompleteNodeHasNoEndpoint() {
        #expect(RemoteAgent.Endpoint(node: node(port: 0)) == nil)
        #expect(RemoteAgent.Endpoint(node: node(port: 70000)) == nil)
        #expect(RemoteAgent.Endpoint(node: node(port: "10250")) == nil)
        #expect(RemoteAgent.Endpoint(node: node(certificate: "")) == nil)
        #expect(RemoteAgent.Endpoint(node: node(certificate: .null)) == nil)
        #expect(RemoteAgent.Endpoint(node: node(addresses: [["type": "Hostname", "address": "w"]])) == nil)
    }

    @Test func aNodeWithoutAReachableAgentGetsNoHandler() throws {
        let connections = NodeConnections()
        // No client certificate configured: remote agents cannot be reached.
        #expect(try connections.handler(for: node()) == nil)
    }
}
