import Testing

@testable import FlotillaControllers

@Suite("Rolling update arithmetic")
struct RollingUpdateTests {
    @Test func percentagesRoundSurgeUpAndUnavailabilityDown() {
        let rolling = RollingUpdate(replicas: 10, maxSurge: .percent(25), maxUnavailable: .percent(25))
        #expect(rolling.maxSurge == 3)
        #expect(rolling.maxUnavailable == 2)
        let zero = RollingUpdate(replicas: 3, maxSurge: .count(0), maxUnavailable: .percent(10))
        #expect(zero.maxUnavailable == 1, "both zero would never progress")
    }

    @Test func theNewSetGrowsUpToTheSurge() {
        let rolling = RollingUpdate(replicas: 8, maxSurge: .count(2), maxUnavailable: .count(1))
        let old = [RollingUpdate.Set(name: "old", replicas: 8, available: 8)]
        #expect(rolling.newReplicas(new: .init(name: "new", replicas: 0, available: 0), old: old) == 2)
        // At the surge limit nothing more is added.
        #expect(rolling.newReplicas(new: .init(name: "new", replicas: 2, available: 0), old: old) == 2)
        // Never beyond the desired count.
        #expect(rolling.newReplicas(new: .init(name: "new", replicas: 7, available: 7), old: [.init(name: "old", replicas: 0, available: 0)]) == 8)
    }

    @Test func anOldSetCountsThePodsItHasNotRemovedYet() {
        let rolling = RollingUpdate(replicas: 8, maxSurge: .count(2), maxUnavailable: .count(1))
        let new = RollingUpdate.Set(name: "new", replicas: 2, available: 2, pods: 2)
        // The old set was lowered to 7 but still has 8 pods: the new one may not grow yet.
        #expect(rolling.newReplicas(new: new, old: [.init(name: "old", replicas: 7, available: 7, pods: 8)]) == 2)
        #expect(rolling.newReplicas(new: new, old: [.init(name: "old", replicas: 7, available: 7, pods: 7)]) == 3)
    }

    @Test func oldSetsShrinkKeepingTheMinimumAvailable() {
        let rolling = RollingUpdate(replicas: 8, maxSurge: .count(2), maxUnavailable: .count(1))
        // New set of 2 not yet available: only one old pod may go (8 + 2 - 7 - 2 = 1).
        let shrink = rolling.oldReplicas(new: .init(name: "new", replicas: 2, available: 0), old: [.init(name: "old", replicas: 8, available: 8)])
        #expect(shrink == [7])
        // Once the new pods are available, the old set shrinks by as many.
        let more = rolling.oldReplicas(new: .init(name: "new", replicas: 2, available: 2), old: [.init(name: "old", replicas: 8, available: 8)])
        #expect(more == [5])
    }

    @Test func unavailableOldPodsGoFirst() {
        let rolling = RollingUpdate(replicas: 4, maxSurge: .count(1), maxUnavailable: .count(0))
        let result = rolling.oldReplicas(
            new: .init(name: "new", replicas: 1, available: 1),
            old: [.init(name: "a", replicas: 2, available: 0), .init(name: "b", replicas: 2, available: 2)])
        #expect(result == [0, 2] || result == [1, 2])
        #expect(result[1] == 2, "available pods of b are kept while a's unavailable ones can go")
    }
}
