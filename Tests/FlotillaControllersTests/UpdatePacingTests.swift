import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Swarm-style update pacing")
struct UpdatePacingTests {
    func deployment(_ annotations: JSON) -> JSON { ["metadata": ["annotations": annotations]] }

    @Test func readsParallelismAndDelay() throws {
        let pacing = try #require(UpdatePacing(deployment(["flotilla.io/update-parallelism": "2", "flotilla.io/update-delay": "1m30s"])))
        #expect(pacing.parallelism == 2)
        #expect(pacing.delay == .seconds(90))
        #expect(UpdatePacing(deployment([:])) == nil)
        #expect(UpdatePacing(deployment(["flotilla.io/update-parallelism": "0"])) == nil)
        #expect(UpdatePacing.duration("250ms") == .milliseconds(250))
        #expect(UpdatePacing.duration("10") == .seconds(10))
        #expect(UpdatePacing.duration("1h2m3s") == .seconds(3723))
        #expect(UpdatePacing.duration("5x") == nil)
        #expect(UpdatePacing.duration("5") == .seconds(5))
        #expect(UpdatePacing.duration("1m5") == nil)
    }

    @Test func limitsPodsInFlight() throws {
        let pacing = try #require(UpdatePacing(deployment(["flotilla.io/update-parallelism": "1"])))
        #expect(pacing.limitGrowth(target: 4, new: .init(name: "n", replicas: 0, available: 0)) == 1)
        #expect(pacing.limitGrowth(target: 4, new: .init(name: "n", replicas: 1, available: 0)) == 1)
        #expect(pacing.limitGrowth(target: 4, new: .init(name: "n", replicas: 1, available: 1)) == 2)
        let shrunk = pacing.limitShrink(targets: [0, 1], old: [.init(name: "a", replicas: 2, available: 2), .init(name: "b", replicas: 3, available: 3)])
        #expect(shrunk == [1, 3])
    }
}
