import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation
@testable import FlotillaAPIServer
import Testing

@Suite("The kubernetes and kube-dns services")
struct BootstrapServiceTests {
    @Test func kubeDNSExistsAtTheClusterDNSAddressWithoutSelector() async throws {
        try await TestServer.with { s in
            let dns = await s.send("GET", "/api/v1/namespaces/kube-system/services/kube-dns")
            #expect(dns.status == 200)
            #expect(dns.json["spec"]["clusterIP"] == "10.96.0.10")
            #expect(dns.json["spec"]["selector"].isNull)
            #expect(dns.json["metadata"]["labels"]["k8s-app"] == "kube-dns")
            let ports = (dns.json["spec"]["ports"].array ?? []).map { "\($0["name"].string ?? "")/\($0["port"].int ?? 0)/\($0["protocol"].string ?? "")" }
            #expect(ports == ["dns/53/UDP", "dns-tcp/53/TCP"])
        }
    }

    @Test func theKubernetesServiceListsEveryServerThatPublishedItself() async throws {
        let store = MemoryStore()
        let a = TestServer(store: store)
        let b = TestServer(store: store)
        await a.server.publishAPIEndpoint(host: "127.0.0.1", port: 6443)
        await b.server.publishAPIEndpoint(host: "127.0.0.2", port: 6443)
        // A restart publishes again without duplicating.
        await a.server.publishAPIEndpoint(host: "127.0.0.1", port: 6443)

        let svc = await a.send("GET", "/api/v1/namespaces/default/services/kubernetes")
        #expect(svc.json["spec"]["clusterIP"] == "10.96.0.1")
        #expect(svc.json["spec"]["selector"].isNull)
        #expect(svc.json["spec"]["ports"] == [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]])
        #expect(svc.json["metadata"]["labels"] == ["component": "apiserver", "provider": "kubernetes"])

        let endpoints = await a.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes")
        #expect(endpoints.json["subsets"].array?.count == 1)
        let addresses = (endpoints.json["subsets"][0]["addresses"].array ?? []).compactMap { $0["ip"].string }
        #expect(addresses == ["127.0.0.1", "127.0.0.2"])
        #expect(endpoints.json["subsets"][0]["ports"] == [["name": "https", "port": 6443, "protocol": "TCP"]])

        let slice = await a.send("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")
        #expect(slice.json["metadata"]["labels"]["kubernetes.io/service-name"] == "kubernetes")
        #expect(slice.json["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "flotilla-apiserver")
        #expect((slice.json["endpoints"].array ?? []).compactMap { $0["addresses"][0].string } == ["127.0.0.1", "127.0.0.2"])
        a.server.shutdown()
        b.server.shutdown()
    }

    @Test func theKubernetesEndpointsKeepOnlyServersWithLiveLeases() async throws {
        let s = TestServer(store: MemoryStore())
        await s.server.publishAPIEndpoint(host: "127.0.0.1", port: 6443)
        for (holder, renewed) in [("127.0.0.2:6443", Date()), ("127.0.0.3:6443", Date().addingTimeInterval(-60)), ("127.0.0.4:7443", Date())] {
            let lease: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(APIServer.endpointLeaseName(APIEndpoint(holder)!)), "labels": ["flotilla.io/apiserver-endpoint": "true"]],
                "spec": ["holderIdentity": .string(holder), "leaseDurationSeconds": 15, "renewTime": .string(Timestamp.formatMicro(renewed))],
            ]
            #expect(await s.send("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", body: lease).status == 201)
        }
        let own = APIEndpoint(address: "127.0.0.1", port: 6443)
        try await s.server.reconcileAPIEndpoints(renewing: own, leaseSeconds: 15)
        let endpoints = await s.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes").json
        #expect(APIServer.endpoints(in: endpoints).map(\.description) == ["127.0.0.1:6443", "127.0.0.2:6443", "127.0.0.4:7443"])
        let slice = await s.send("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes").json
        #expect((slice["endpoints"].array ?? []).compactMap { $0["addresses"][0].string } == ["127.0.0.1", "127.0.0.2"])
        let lease = await s.send("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/apiserver-127-0-0-1-6443").json
        #expect(lease["spec"]["holderIdentity"] == "127.0.0.1:6443")

        await s.server.withdrawAPIEndpoint(own)
        #expect(await s.send("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/apiserver-127-0-0-1-6443").status == 404)
        let left = await s.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes").json
        #expect(APIServer.endpoints(in: left).map(\.description) == ["127.0.0.2:6443", "127.0.0.4:7443"])
        s.server.shutdown()
    }

    @Test func aRenewalUpdatesTheLeaseInPlaceAndRecreatesItWhenDeleted() async throws {
        let s = TestServer(store: MemoryStore())
        let own = APIEndpoint(address: "127.0.0.1", port: 6443)
        let path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/apiserver-127-0-0-1-6443"
        await s.server.publishAPIEndpoint(host: "127.0.0.1", port: 6443)
        try await s.server.reconcileAPIEndpoints(renewing: own, leaseSeconds: 15)
        let first = await s.send("GET", path).json
        try await Task.sleep(for: .milliseconds(5))
        try await s.server.reconcileAPIEndpoints(renewing: own, leaseSeconds: 15)
        let renewed = await s.send("GET", path).json
        #expect(renewed["metadata"]["uid"] == first["metadata"]["uid"])
        #expect(renewed["spec"]["renewTime"] != first["spec"]["renewTime"])
        #expect(renewed["metadata"]["labels"]["flotilla.io/apiserver-endpoint"] == "true")

        #expect(await s.send("DELETE", path).status == 200)
        try await s.server.reconcileAPIEndpoints(renewing: own, leaseSeconds: 15)
        let recreated = await s.send("GET", path).json
        #expect(recreated["spec"]["holderIdentity"] == "127.0.0.1:6443")
        #expect(recreated["metadata"]["uid"] != first["metadata"]["uid"])
        s.server.shutdown()
    }

    @Test func theServiceAddressesFollowTheConfiguredNetwork() async throws {
        let network = ClusterNetwork(
            podNetwork: IPv4Subnet("10.32.0.0/16")!, serviceNetwork: IPv4Subnet("172.20.0.0/16")!, dnsAddress: IPv4Address("172.20.0.10")!)
        let s = TestServer(store: MemoryStore(), network: network)
        await s.server.publishAPIEndpoint(host: "0.0.0.0", port: 7000)
        #expect(await s.send("GET", "/api/v1/namespaces/default/services/kubernetes").json["spec"]["clusterIP"] == "172.20.0.1")
        #expect(await s.send("GET", "/api/v1/namespaces/kube-system/services/kube-dns").json["spec"]["clusterIP"] == "172.20.0.10")
        let address = await s.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes").json["subsets"][0]["addresses"][0]["ip"].string
        #expect(address != nil && address != "0.0.0.0")
        let names = ClusterPKI.requiredNames(network: network)
        #expect(names.contains(.ip([172, 20, 0, 1])))
        #expect(!names.contains(.ip([10, 96, 0, 1])))
        let node = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n"))
        #expect(node.json["spec"]["podCIDR"] == "10.32.0.0/24")
        await s.close()
    }
}
