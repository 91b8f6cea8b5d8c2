import FlotillaCore
@testable import FlotillaAPIServer
import Testing

@Suite("Lowest-first allocation across servers")
struct RangeAllocatorTests {
    /// Four /24 subnets, as two servers sharing one store see them.
    private static func twoServers() -> (RangeAllocator, RangeAllocator) {
        let store = MemoryStore()
        let range = AllocationRange.podCIDRs(IPv4Subnet("10.244.0.0/22")!, prefixLength: 24)
        return (RangeAllocator(store: store, range: range), RangeAllocator(store: store, range: range))
    }

    @Test func eachServerTakesTheLowestValueTheOtherHasNotTaken() async throws {
        let (a, b) = Self.twoServers()
        #expect(try await a.allocate(for: .node("n0")) == "10.244.0.0/24")
        #expect(try await b.allocate(for: .node("n1")) == "10.244.1.0/24")
        // `a` has not seen n1's subnet: its create fails and it moves on.
        #expect(try await a.allocate(for: .node("n2")) == "10.244.2.0/24")
        #expect(try await b.allocate(for: .node("n3")) == "10.244.3.0/24")
        await #expect(throws: RangeAllocator.Failure.full) { try await a.allocate(for: .node("n4")) }
    }

    @Test func aValueGivenBackElsewhereIsHandedOutOnceTheRestIsTaken() async throws {
        let (a, b) = Self.twoServers()
        for n in 0..<3 { _ = try await a.allocate(for: .node("n\(n)")) }
        try await b.release("10.244.1.0/24", of: .node("n1"))
        // `a` still believes 10.244.1.0/24 taken, so it takes the last one first …
        #expect(try await a.allocate(for: .node("n3")) == "10.244.3.0/24")
        // … and reads the store again when it sees nothing free.
        #expect(try await a.allocate(for: .node("n4")) == "10.244.1.0/24")
        await #expect(throws: RangeAllocator.Failure.full) { try await a.allocate(for: .node("n5")) }
    }

    @Test func aValueGivenBackOnTheSameServerIsTheNextOneHandedOut() async throws {
        let (a, _) = Self.twoServers()
        for n in 0..<3 { _ = try await a.allocate(for: .node("n\(n)")) }
        try await a.release("10.244.0.0/24", of: .node("n0"))
        #expect(try await a.allocate(for: .node("n3"), dryRun: true) == "10.244.0.0/24")
        #expect(try await a.allocate(for: .node("n3"), excluding: ["10.244.0.0/24"]) == "10.244.3.0/24")
        #expect(try await a.allocate(for: .node("n4")) == "10.244.0.0/24")
    }

    @Test func concurrentPicksOnTwoServersTakeDistinctLowestValues() async throws {
        let store = MemoryStore()
        let range = AllocationRange.podCIDRs(IPv4Subnet("10.244.0.0/16")!, prefixLength: 24)
        let servers = [RangeAllocator(store: store, range: range), RangeAllocator(store: store, range: range)]
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<60 {
                group.addTask { try await servers[n % 2].allocate(for: .node("n\(n)")) }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(values == Set((0..<60).map { "10.244.\($0).0/24" }))
    }
}
