import FlotillaAPI
import FlotillaCore
@testable import FlotillaAPIServer
import Testing

@Suite("Cluster IP allocation")
struct ClusterIPAllocationTests {
    let network = ClusterNetwork.standard

    @Test func aServiceWithoutClusterIPGetsAFreeAddressOfTheServiceNetwork() async throws {
        try await TestServer.with { s in
            var seen = Set<String>()
            for n in 0..<20 {
                let reply = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("web\(n)"))
                #expect(reply.status == 201)
                let ip = try #require(reply.json["spec"]["clusterIP"].string)
                #expect(reply.json["spec"]["clusterIPs"] == [.string(ip)])
                let address = try #require(IPv4Address(ip))
                #expect(network.serviceNetwork.contains(address))
                #expect(address != network.serviceNetwork.network && address != network.serviceNetwork.last)
                #expect(address != network.apiServerServiceAddress && address != network.dnsAddress)
                #expect(seen.insert(ip).inserted)
            }
        }
    }

    @Test func aRequestedAddressIsHonouredOnceAndOutsideTheRangeRefused() async throws {
        try await TestServer.with { s in
            let first = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("a", clusterIP: "10.96.5.5"))
            #expect(first.status == 201)
            #expect(first.json["spec"]["clusterIP"] == "10.96.5.5")

            let taken = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("b", clusterIP: "10.96.5.5"))
            #expect(taken.status == 422)
            #expect(taken.causeFields == ["spec.clusterIPs[0]"])
            #expect(taken.json["message"].string?.contains("provided IP is already allocated") == true)
            #expect(await s.send("GET", ServiceObjects.services + "/b").status == 404)

            for outside in ["10.112.0.1", "10.96.0.0", "10.111.255.255"] {
                let reply = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("c", clusterIP: outside))
                #expect(reply.status == 422)
                #expect(reply.causeFields == ["spec.clusterIPs[0]"])
                #expect(reply.json["message"].string?.contains("is not in the valid range. The range of valid IPs is 10.96.0.0/12") == true)
            }
            #expect(await s.send("GET", ServiceObjects.services + "/c").status == 404)
        }
    }

    @Test func headlessAndExternalNameServicesGetNoAddress() async throws {
        try await TestServer.with { s in
            let headless = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("h", clusterIP: "None"))
            #expect(headless.status == 201)
            #expect(headless.json["spec"]["clusterIP"] == "None")
            #expect(headless.json["spec"]["clusterIPs"] == ["None"])

            let external = ServiceObjects.service("x", type: "ExternalName", ports: [], spec: ["externalName": "db.example.com"])
            let created = await s.send("POST", ServiceObjects.services, body: external)
            #expect(created.status == 201)
            #expect(created.json["spec"]["clusterIP"].isNull)
            #expect(await s.heldIPs().isEmpty)
        }
    }

    @Test func anUpdateWithoutTheAddressKeepsItAndAChangeIsRefused() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("web"))
            let ip = try #require(created.json["spec"]["clusterIP"].string)

            var replacement = ServiceObjects.service("web", ports: [(8080, nil)])
            let replaced = await s.send("PUT", ServiceObjects.services + "/web", body: replacement)
            #expect(replaced.status == 200)
            #expect(replaced.json["spec"]["clusterIP"].string == ip)
            #expect(replaced.json["spec"]["clusterIPs"] == [.string(ip)])

            replacement[path: ["spec", "clusterIP"]] = "10.96.7.7"
            let changed = await s.send("PUT", ServiceObjects.services + "/web", body: replacement)
            #expect(changed.status == 422)
            #expect(changed.causeFields == ["spec.clusterIPs[0]"])
            #expect(changed.json["message"].string?.contains("may not change once set") == true)
            #expect(await s.heldIPs() == [ip])
        }
    }

    @Test func deletingTheServiceOrChangingItToExternalNameReleasesTheAddress() async throws {
        try await TestServer.with { s in
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("a", clusterIP: "10.96.9.9")).status == 201)
            #expect(await s.send("DELETE", ServiceObjects.services + "/a").status == 200)
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("b", clusterIP: "10.96.9.9")).status == 201)

            let patch: JSON = ["spec": ["type": "ExternalName", "externalName": "example.org", "ports": []]]
            let changed = await s.send(
                "PATCH", ServiceObjects.services + "/b", body: patch, contentType: "application/merge-patch+json")
            #expect(changed.status == 200)
            #expect(changed.json["spec"]["clusterIP"].isNull)
            #expect(changed.json["spec"]["clusterIPs"].isNull)
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("c", clusterIP: "10.96.9.9")).status == 201)

            let back: JSON = ["spec": ["type": "ClusterIP", "externalName": .null, "ports": [["port": 80]]]]
            let cluster = await s.send("PATCH", ServiceObjects.services + "/b", body: back, contentType: "application/merge-patch+json")
            #expect(cluster.status == 200)
            let ip = try #require(cluster.json["spec"]["clusterIP"].string)
            #expect(ip != "10.96.9.9")
            #expect(await s.heldIPs() == [ip, "10.96.9.9"].sorted())
        }
    }

    @Test func deletingTheNamespaceReleasesItsAddresses() async throws {
        try await TestServer.with { s in
            let ns: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]]
            #expect(await s.send("POST", "/api/v1/namespaces", body: ns).status == 201)
            let path = "/api/v1/namespaces/team/services"
            #expect(await s.send("POST", path, body: ServiceObjects.service("a", clusterIP: "10.96.3.3")).status == 201)
            #expect(await s.send("DELETE", "/api/v1/namespaces/team").status == 200)
            #expect((try? await s.server.finishNamespaceDeletion("team")) == true)
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("b", clusterIP: "10.96.3.3")).status == 201)
        }
    }

    @Test func aDryRunTakesNothing() async throws {
        try await TestServer.with { s in
            let dry = await s.send(
                "POST", ServiceObjects.services, query: [("dryRun", "All")], body: ServiceObjects.service("a", type: "NodePort"))
            #expect(dry.status == 201)
            #expect(dry.json["spec"]["clusterIP"].string != nil)
            #expect(dry.json["spec"]["ports"][0]["nodePort"].int != nil)
            #expect(await s.heldIPs().isEmpty)
            #expect(await s.heldNodePorts().isEmpty)
        }
    }

    @Test func aFullRangeIsA503NamingTheRange() async throws {
        let small = ClusterNetwork(
            podNetwork: IPv4Subnet("10.244.0.0/16")!, serviceNetwork: IPv4Subnet("10.0.0.0/28")!, dnsAddress: IPv4Address("10.0.0.10")!)
        let s = TestServer(store: MemoryStore(), network: small)
        await s.server.ready()
        // 14 usable addresses, less the kubernetes service's and the DNS service's.
        for n in 0..<12 {
            #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("s\(n)")).status == 201)
        }
        let full = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("last"))
        #expect(full.status == 503)
        #expect(full.json["message"] == "failed to allocate a serviceIP: range 10.0.0.0/28 is full")
        #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("first", clusterIP: "10.0.0.1")).status == 201)
        await s.close()
    }
}
