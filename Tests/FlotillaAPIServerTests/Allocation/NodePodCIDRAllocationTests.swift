import FlotillaAPI
import FlotillaCore
import Logging
@testable import FlotillaAPIServer
import Testing

@Suite("Node pod subnet allocation")
struct NodePodCIDRAllocationTests {
    @Test func nodesWithoutASubnetGetTheLowestFreeOnes() async throws {
        try await TestServer.with { s in
            var subnets: [String] = []
            for n in 0..<3 {
                let reply = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n\(n)"))
                #expect(reply.status == 201)
                let cidr = try #require(reply.json["spec"]["podCIDR"].string)
                #expect(reply.json["spec"]["podCIDRs"] == [.string(cidr)])
                subnets.append(cidr)
            }
            #expect(subnets == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"])
            #expect(await s.send("DELETE", ServiceObjects.nodes + "/n1").status == 200)
            let next = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n3"))
            #expect(next.json["spec"]["podCIDR"] == "10.244.1.0/24")
        }
    }

    @Test func aNodeKeepsTheSubnetItBringsEvenWhenAnotherHoldsIt() async throws {
        try await TestServer.with { s in
            let own = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("fixed", podCIDR: "10.244.0.0/24"))
            #expect(own.status == 201)
            #expect(own.json["spec"]["podCIDRs"] == ["10.244.0.0/24"])
            let twin = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("twin", podCIDR: "10.244.0.0/24"))
            #expect(twin.status == 201)
            #expect(twin.json["spec"]["podCIDR"] == "10.244.0.0/24")
            let outside = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("far", podCIDR: "192.168.7.0/24"))
            #expect(outside.status == 201)
            let fresh = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("fresh"))
            #expect(fresh.json["spec"]["podCIDR"] == "10.244.1.0/24")
            // The twin's deletion does not free the subnet its first holder keeps.
            #expect(await s.send("DELETE", ServiceObjects.nodes + "/twin").status == 200)
            let after = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("after"))
            #expect(after.json["spec"]["podCIDR"] == "10.244.2.0/24")
        }
    }

    @Test func anUpdateWithoutTheSubnetKeepsItAndAChangeIsRefused() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("n"))
            let cidr = try #require(created.json["spec"]["podCIDR"].string)
            var replacement = ServiceObjects.node("n")
            replacement[path: ["spec", "unschedulable"]] = true
            let replaced = await s.send("PUT", ServiceObjects.nodes + "/n", body: replacement)
            #expect(replaced.status == 200)
            #expect(replaced.json["spec"]["podCIDR"].string == cidr)
            #expect(replaced.json["spec"]["unschedulable"] == true)

            let changed = await s.send("PUT", ServiceObjects.nodes + "/n", body: ServiceObjects.node("n", podCIDR: "10.244.9.0/24"))
            #expect(changed.status == 422)
            #expect(changed.causeFields == ["spec.podCIDR"])
            #expect(changed.json["message"].string?.contains("node updates may not change podCIDR except from \"\" to valid") == true)
        }
    }

    @Test func malformedSubnetsAreRefusedAndNothingIsWritten() async throws {
        try await TestServer.with { s in
            for bad in ["10.244.0.1/24", "10.244.0.0", "banana", "10.244.0.0/33"] {
                let reply = await s.send("POST", ServiceObjects.nodes, body: ServiceObjects.node("bad", podCIDR: bad))
                #expect(reply.status == 422)
                #expect(reply.causeFields.contains("spec.podCIDR"))
            }
            var mismatched = ServiceObjects.node("bad", podCIDR: "10.244.3.0/24")
            mismatched[path: ["spec", "podCIDRs"]] = ["10.244.4.0/24"]
            let reply = await s.send("POST", ServiceObjects.nodes, body: mismatched)
            #expect(reply.status == 422)
            #expect(reply.causeFields == ["spec.podCIDRs"])
            #expect(await s.send("GET", ServiceObjects.nodes + "/bad").status == 404)
            #expect(await s.heldSubnets().isEmpty)
        }
    }
}

/// Log records kept for a test to read.
private final class RecordedLogs: Sendable {
    let entries = Locked<[(level: Logger.Level, message: String)]>([])

    var handler: RecordingLogHandler { RecordingLogHandler(logs: self) }
}

/// A log handler that keeps every record in ``RecordedLogs``.
private struct RecordingLogHandler: LogHandler {
    let logs: RecordedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        logs.entries.withLock { $0.append((event.level, "\(event.message)")) }
    }
}

@Suite("Pod network exhaustion")
struct PodNetworkExhaustionTests {
    @Test func runningOutWarnsOnceUntilASubnetIsFreed() async throws {
        let logs = RecordedLogs()
        let allocator = NodePodCIDRAllocator(
            subnets: RangeAllocator(store: MemoryStore(), range: .podCIDRs(IPv4Subnet("10.244.0.0/23")!, prefixLength: 24)),
            logger: Logger(label: "test") { _ in logs.handler })
        func register(_ name: String) async throws -> JSON {
            var node: JSON = ["metadata": ["name": .string(name)], "spec": [:]]
            _ = try await allocator.allocate(&node, old: nil, dryRun: false)
            return node
        }
        let first = try await register("n0")
        _ = try await register("n1")
        for n in 2..<6 { #expect(try await register("n\(n)")["spec"]["podCIDR"].isNull) }
        var warnings: [String] { logs.entries.withLock { $0.filter { $0.level == .warning }.map(\.message) } }
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("no pod subnet is free") == true)
        #expect(logs.entries.withLock { $0.filter { $0.level == .debug }.count } == 3)

        await allocator.release(first)
        #expect(try await register("n6")["spec"]["podCIDR"] == "10.244.0.0/24")
        #expect(try await register("n7")["spec"]["podCIDR"].isNull)
        #expect(warnings.count == 2)
    }
}
