import FlotillaAPI
import FlotillaCore
import FlotillaStore
@testable import FlotillaAPIServer
import Foundation
import Testing

@Suite("Allocations across servers, restarts and crashes")
struct SharedStoreAllocationTests {
    @Test func twoServersRacingForOneRequestedAddressHaveOneWinner() async throws {
        for round in 0..<10 {
            let store = MemoryStore()
            let a = TestServer(store: store)
            let b = TestServer(store: store)
            await a.server.ready()
            await b.server.ready()
            let ip = "10.96.40.\(round + 1)"
            async let first = a.send("POST", ServiceObjects.services, body: ServiceObjects.service("from-a", type: "NodePort", clusterIP: ip, ports: [(80, 30500)]))
            async let second = b.send("POST", ServiceObjects.services, body: ServiceObjects.service("from-b", type: "NodePort", clusterIP: ip, ports: [(80, 30500)]))
            let statuses = await [first.status, second.status].sorted()
            #expect(statuses == [201, 422])
            #expect(await a.heldIPs().contains(ip))
            a.server.shutdown()
            b.server.shutdown()
        }
    }

    @Test func concurrentDynamicAllocationsOnTwoServersNeverCollide() async throws {
        let store = MemoryStore()
        let a = TestServer(store: store)
        let b = TestServer(store: store)
        await a.server.ready()
        await b.server.ready()
        let ips = await withTaskGroup(of: (String?, Int64?).self) { group in
            for n in 0..<40 {
                let server = n % 2 == 0 ? a : b
                group.addTask {
                    let reply = await server.send("POST", ServiceObjects.services, body: ServiceObjects.service("s\(n)", type: "NodePort"))
                    return (reply.json["spec"]["clusterIP"].string, reply.json["spec"]["ports"][0]["nodePort"].int)
                }
            }
            var out: [(String?, Int64?)] = []
            for await pair in group { out.append(pair) }
            return out
        }
        #expect(ips.count == 40)
        #expect(Set(ips.compactMap(\.0)).count == 40)
        #expect(Set(ips.compactMap(\.1)).count == 40)
        a.server.shutdown()
        b.server.shutdown()
    }

    @Test func allocationsSurviveARestart() async throws {
        let store = MemoryStore()
        let before = TestServer(store: store)
        await before.server.ready()
        let created = await before.send("POST", ServiceObjects.services, body: ServiceObjects.service("web", type: "NodePort"))
        let ip = try #require(created.json["spec"]["clusterIP"].string)
        let nodePort = try #require(created.json["spec"]["ports"][0]["nodePort"].int)
        let node = await before.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n1"))
        before.server.shutdown()

        let after = TestServer(store: store, repairGrace: .zero)
        await after.server.ready()
        let sameIP = await after.send("POST", ServiceObjects.services, body: ServiceObjects.service("other", clusterIP: ip))
        #expect(sameIP.status == 422)
        let samePort = await after.send("POST", ServiceObjects.services, body: ServiceObjects.service("other", type: "NodePort", ports: [(80, nodePort)]))
        #expect(samePort.status == 422)
        let second = await after.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n2"))
        #expect(second.json["spec"]["podCIDR"].string != node.json["spec"]["podCIDR"].string)
        after.server.shutdown()
    }

    @Test func repairFreesAbandonedKeysAfterTheGraceAndClaimsMissingOnes() async throws {
        let store = MemoryStore()
        let s = TestServer(store: store, repairGrace: .seconds(3600))
        await s.server.ready()
        let range = s.server.allocations.services.clusterIPs.range
        let ghost = AllocationOwner.service(namespace: "default", name: "ghost")
        // A crash after taking an address, before the service was written: an hour-old key.
        _ = try await store.create(range.key("10.96.50.1"), value: ghost.record(now: Date().addingTimeInterval(-7200)))
        // A write in flight on another server: a fresh key.
        _ = try await store.create(range.key("10.96.50.2"), value: ghost.record())
        let created = await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("web", clusterIP: "10.96.50.3"))
        #expect(created.status == 201)
        // A service whose key went missing.
        _ = try await store.delete(range.key("10.96.50.3"), expectedRevision: nil)

        let report = try await s.server.repairAllocations(grace: .seconds(3600))
        #expect(report == AllocationRepairReport(released: 1, claimed: 1, conflicts: 0))
        let held = await s.heldIPs()
        #expect(held == ["10.96.50.2", "10.96.50.3"])
        #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("again", clusterIP: "10.96.50.3")).status == 422)
        #expect(await s.send("POST", ServiceObjects.services, body: ServiceObjects.service("freed", clusterIP: "10.96.50.1")).status == 201)
        await s.close()
    }
}
