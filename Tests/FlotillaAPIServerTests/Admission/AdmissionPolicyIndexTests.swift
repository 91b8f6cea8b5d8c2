import FlotillaCore
import FlotillaStore
import Logging
import Testing

@testable import FlotillaAPIServer

@Suite struct AdmissionPolicyIndexTests {
    func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func knowsWhichNamespacesHoldPoliciesOnlyOnceItFollowsTheStore() async throws {
        let store = MemoryStore()
        _ = try await store.create("/registry/core/resourcequotas/shop/compute", value: Array("{}".utf8))
        let index = AdmissionPolicyIndex(store: store, logger: Logger(label: "test"))
        #expect(index.mayHave(.resourceQuotas, in: "empty"))
        let following = Task { await index.follow() }
        defer { following.cancel() }
        try await eventually { !index.mayHave(.resourceQuotas, in: "empty") }
        #expect(!index.mayHave(.resourceQuotas, in: "empty") && !index.mayHave(.limitRanges, in: "shop"))
        #expect(index.mayHave(.resourceQuotas, in: "shop"))

        _ = try await store.create("/registry/core/limitranges/empty/limits", value: Array("{}".utf8))
        try await eventually { index.mayHave(.limitRanges, in: "empty") }
        #expect(index.mayHave(.limitRanges, in: "empty"))
        _ = try await store.delete("/registry/core/resourcequotas/shop/compute", expectedRevision: nil)
        try await eventually { !index.mayHave(.resourceQuotas, in: "shop") }
        #expect(!index.mayHave(.resourceQuotas, in: "shop"))
        // A policy this server is writing counts before its event arrives.
        index.note(.resourceQuotas, in: "new")
        #expect(index.mayHave(.resourceQuotas, in: "new"))
    }
}
