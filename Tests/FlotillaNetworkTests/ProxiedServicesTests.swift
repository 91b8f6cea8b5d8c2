import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct ProxiedServicesTests {
    func service(_ name: String, _ spec: JSON, namespace: String = "default") -> JSON {
        ["metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    func slice(_ service: String, ports: JSON, endpoints: JSON, namespace: String = "default", addressType: String = "IPv4") -> JSON {
        [
            "metadata": ["name": .string(service + "-abc"), "namespace": .string(namespace),
                         "labels": ["kubernetes.io/service-name": .string(service)]],
            "addressType": .string(addressType), "ports": ports, "endpoints": endpoints,
        ]
    }

    @Test func matchesSlicePortsByNameAndMergesSlices() {
        let services = [service("web", [
            "type": "NodePort", "clusterIP": "10.96.0.20", "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 60]],
            "ports": [["name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080], ["name": "dns", "port": 53, "protocol": "UDP"]],
        ])]
        let slices = [
            slice("web", ports: [["name": "http", "port": 8080, "protocol": "TCP"], ["name": "dns", "port": 5353, "protocol": "UDP"]],
                  endpoints: [["addresses": ["10.244.1.3"], "conditions": ["ready": true]],
                              ["addresses": ["10.244.1.4"], "conditions": ["ready": false]]]),
            slice("web", ports: [["name": "http", "port": 8080, "protocol": "TCP"]],
                  endpoints: [["addresses": ["10.244.1.2"]], ["addresses": ["10.244.1.3"], "conditions": ["ready": false]]]),
            slice("web", ports: [["name": "http", "port": 8080]], endpoints: [["addresses": ["fd00::1"]]], addressType: "IPv6"),
            slice("web", ports: [["name": "http", "port": 8080]], endpoints: [["addresses": ["10.244.9.9"]]], namespace: "other"),
        ]
        let ports = ProxiedServices.ports(services: services, endpointSlices: slices)
        #expect(ports.map(\.portName) == ["dns", "http"])
        let http = ports[1], dns = ports[0]
        #expect(http.nodePort == 30080 && http.affinitySeconds == 60 && http.transportProtocol == .tcp)
        #expect(http.endpoints.map(\.description) == ["10.244.1.2:8080", "10.244.1.3:8080", "10.244.1.4:8080"])
        #expect(http.readyEndpoints.map(\.description) == ["10.244.1.2:8080", "10.244.1.3:8080"])
        #expect(dns.transportProtocol == .udp && dns.nodePort == nil && dns.readyEndpoints.map(\.description) == ["10.244.1.3:5353"])
    }

    @Test func readsTrafficPoliciesAndMarksThisNodesEndpointsLocal() {
        let services = [
            service("local", ["type": "NodePort", "clusterIP": "10.96.0.30", "externalTrafficPolicy": "Local",
                              "internalTrafficPolicy": "Local", "ports": [["port": 80, "nodePort": 30080]]]),
            service("inside", ["type": "ClusterIP", "clusterIP": "10.96.0.31", "externalTrafficPolicy": "Local", "ports": [["port": 80]]]),
        ]
        let slices = [
            slice("local", ports: [["port": 8080]], endpoints: [["addresses": ["10.244.1.2"], "nodeName": "node-a"],
                                                                 ["addresses": ["10.244.2.2"], "nodeName": "node-b"]]),
            slice("local", ports: [["port": 8080]], endpoints: [["addresses": ["10.244.2.2"], "nodeName": "node-a"]]),
        ]
        let ports = ProxiedServices.ports(services: services, endpointSlices: slices, nodeName: "node-a")
        #expect(ports.map(\.serviceName) == ["inside", "local"])
        #expect(!ports[0].externalTrafficLocal && !ports[0].internalTrafficLocal)
        #expect(ports[1].externalTrafficLocal && ports[1].internalTrafficLocal)
        #expect(ports[1].endpoints.map { "\($0) \($0.local)" } == ["10.244.1.2:8080 true", "10.244.2.2:8080 true"])
        let elsewhere = ProxiedServices.ports(services: services, endpointSlices: [slices[0]], nodeName: "node-c")
        #expect(elsewhere[1].endpoints.allSatisfy { !$0.local })
    }

    @Test func externalAddressesAreExternalIPsAndLoadBalancerIngressIPs() {
        var balanced = service("balanced", [
            "type": "LoadBalancer", "clusterIP": "10.96.0.32", "externalIPs": ["198.51.100.2", "fd00::2"],
            "ports": [["port": 80, "nodePort": 30081]],
        ])
        balanced["status"] = ["loadBalancer": ["ingress": [["ip": "198.51.100.1"], ["hostname": "lb.example.org"]]]]
        var plain = service("plain", ["type": "ClusterIP", "clusterIP": "10.96.0.33", "externalIPs": ["198.51.100.3"], "ports": [["port": 80]]])
        plain["status"] = ["loadBalancer": ["ingress": [["ip": "198.51.100.4"]]]]
        let ports = ProxiedServices.ports(services: [balanced, plain], endpointSlices: [])
        #expect(ports.map { $0.externalAddresses.map(\.description) } == [["198.51.100.1", "198.51.100.2"], ["198.51.100.3"]])
    }

    @Test func leavesOutHeadlessExternalNameAndSkippedAddresses() {
        let services = [
            service("headless", ["clusterIP": "None", "ports": [["port": 80]]]),
            service("external", ["type": "ExternalName", "externalName": "example.org", "ports": [["port": 80]]]),
            service("dns", ["clusterIP": "10.96.0.10", "ports": [["name": "dns", "port": 53, "protocol": "UDP"]]], namespace: "kube-system"),
            service("plain", ["type": "ClusterIP", "clusterIP": "10.96.0.11", "ports": [["port": 80, "nodePort": 30001]]]),
        ]
        let ports = ProxiedServices.ports(services: services, endpointSlices: [], skipping: [IPv4Address("10.96.0.10")!])
        #expect(ports.map(\.displayName) == ["default/plain"])
        #expect(ports[0].nodePort == nil && ports[0].affinitySeconds == nil && ports[0].endpoints.isEmpty)
    }
}
