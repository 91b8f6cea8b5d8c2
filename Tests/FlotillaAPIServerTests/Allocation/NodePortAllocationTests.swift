import FlotillaAPI
import FlotillaCore
@testable import FlotillaAPIServer
import Testing

@Suite("Node port allocation")
struct NodePortAllocationTests {
    @Test func everyPortOfANodePortServiceGetsADistinctNodePortInRange() async throws {
        try await TestServer.with { s in
            let reply = await s.send(
                "POST", ServiceObjects.services, body: ServiceObjects.service("web", type: "NodePort", ports: [(80, nil), (443, nil)]))
            #expect(reply.status == 201)
            let nodePorts = (reply.json["spec"]["ports"].array ?? []).compactMap { $0["nodePort"].int }
            #expect(nodePorts.count == 2)
            #expect(Set(nodePorts).count == 2)
            #expect(nodePorts.allSatisfy { (30000...32767).contains($0) })
            #expect(reply.json["spec"]["externalTrafficPolicy"] == "Cluster")
            #expect(reply.json["spec"]["clusterIP"].string != nil)
        }
    }

    @Test func portsOfOneNumberAndTwoProtocolsShareANodePort() async throws {
        try await TestServer.with { s in
            var svc = ServiceObjects.service("dns", type: "NodePort", ports: [(53, nil), (53, nil)])
            svc[path: ["spec", "ports"]] = [["name": "udp", "port": 53, "protocol": "UDP"], ["name": "tcp", "port": 53, "protocol": "TCP"]]
            let reply = await s.send("POST", ServiceObjects.services, body: svc)
            #expect(reply.status == 201)
            let ports = reply.json["spec"]["ports"]
            #expect(ports[0]["nodePort"].int != nil)
            #expect(ports[0]["nodePort"] == ports[1]["nodePort"])
        }
    }

    @Test func requestedNodePortsAreHonouredOnceAndCheckedAgainstTheRange() async throws {
        try await TestServer.with { s in
            let first = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("a", type: "NodePort", ports: [(80, 30080)]))
            #expect(first.status == 201)
            #expect(first.json["spec"]["ports"][0]["nodePort"] == 30080)

            let taken = await s.send(
                "POST", ServiceObjects.services, body: ServiceObjects.service("b", type: "NodePort", ports: [(80, nil), (81, 30080)]))
            #expect(taken.status == 422)
            #expect(taken.causeFields == ["spec.ports[1].nodePort"])
            #expect(taken.json["message"].string?.contains("Invalid value: 30080: provided port is already allocated") == true)

            let outside = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("c", type: "NodePort", ports: [(80, 8080)]))
            #expect(outside.status == 422)
            #expect(outside.causeFields == ["spec.ports[0].nodePort"])
            #expect(outside.json["message"].string?.contains("The range of valid ports is 30000-32767") == true)
            // Nothing of the refused services stays taken.
            #expect(await s.heldNodePorts() == ["30080"])
            #expect(await s.heldIPs().count == 1)
        }
    }

    @Test func anUpdateKeepsTheNodePortsOfPortsThatStay() async throws {
        try await TestServer.with { s in
            let created = await s.send(
                "POST", ServiceObjects.services, body: ServiceObjects.service("web", type: "NodePort", ports: [(80, nil), (443, nil)]))
            let old = created.json["spec"]["ports"]
            var replacement = ServiceObjects.service("web", type: "NodePort", ports: [(443, nil), (8080, nil)])
            replacement[path: ["spec", "ports"]] = [["name": "p1", "port": 443], ["name": "other", "port": 8080]]
            let replaced = await s.send("PUT", ServiceObjects.services + "/web", body: replacement)
            #expect(replaced.status == 200)
            let ports = replaced.json["spec"]["ports"]
            #expect(ports[0]["nodePort"] == old[1]["nodePort"])
            let fresh = try #require(ports[1]["nodePort"].int)
            #expect(fresh != old[0]["nodePort"].int && fresh != old[1]["nodePort"].int)
            let held = await s.heldNodePorts()
            #expect(held == [String(old[1]["nodePort"].int!), String(fresh)].sorted())
        }
    }

    @Test func changingToClusterIPReleasesTheNodePorts() async throws {
        try await TestServer.with { s in
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("a", type: "NodePort", ports: [(80, 30111)])).status == 201)
            let patch: JSON = ["spec": ["type": "ClusterIP"]]
            let changed = await s.send("PATCH", ServiceObjects.services + "/a", body: patch, contentType: "application/merge-patch+json")
            #expect(changed.status == 200)
            #expect(changed.json["spec"]["ports"][0]["nodePort"].isNull)
            #expect(changed.json["spec"]["externalTrafficPolicy"].isNull)
            #expect(await s.heldNodePorts().isEmpty)
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("b", type: "NodePort", ports: [(80, 30111)])).status == 201)
        }
    }

    @Test func loadBalancersGetNodePortsUnlessTheyOptOut() async throws {
        try await TestServer.with { s in
            let lb = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("lb", type: "LoadBalancer"))
            #expect(lb.status == 201)
            #expect(lb.json["spec"]["ports"][0]["nodePort"].int != nil)
            let optOut = ServiceObjects.service("lb2", type: "LoadBalancer", spec: ["allocateLoadBalancerNodePorts": false])
            let bare = await s.send("POST", ServiceObjects.services, body: optOut)
            #expect(bare.status == 201)
            #expect(bare.json["spec"]["ports"][0]["nodePort"].isNull)
        }
    }

    @Test func aFullNodePortRangeIsA503NamingTheRange() async throws {
        let small = ClusterNetwork(
            podNetwork: IPv4Subnet("10.244.0.0/16")!, serviceNetwork: IPv4Subnet("10.96.0.0/12")!, nodePorts: 30000...30002,
            dnsAddress: IPv4Address("10.96.0.10")!)
        let s = TestServer(store: MemoryStore(), network: small)
        await s.server.ready()
        #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("a", type: "NodePort", ports: [(1, nil), (2, nil), (3, nil)])).status == 201)
        let full = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("b", type: "NodePort"))
        #expect(full.status == 503)
        #expect(full.json["message"] == "failed to allocate a nodePort: range 30000-30002 is full")
        #expect(await s.heldIPs().count == 1)
        await s.close()
    }
}
