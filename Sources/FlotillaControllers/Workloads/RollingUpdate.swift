/// The arithmetic of a deployment's RollingUpdate, as Kubernetes does it: how far the new
/// replica set may grow (`maxSurge` above the desired count) and how far the old ones may shrink
/// (keeping at least `replicas - maxUnavailable` pods available).
struct RollingUpdate: Equatable {
    /// One replica set as the rollout sees it.
    struct Set: Equatable {
        var name: String
        /// `spec.replicas`.
        var replicas: Int
        /// `status.availableReplicas`.
        var available: Int
        /// `status.replicas`: its pods not being deleted, as its controller last counted them.
        var pods = 0
    }

    var replicas: Int
    var maxSurge: Int
    var maxUnavailable: Int

    /// `maxSurge` and `maxUnavailable` (numbers, or percentages of `replicas`: surge rounded
    /// up, unavailability down) resolved; both zero would stall, so unavailability becomes one.
    init(replicas: Int, maxSurge: IntOrPercent, maxUnavailable: IntOrPercent) {
        self.replicas = replicas
        self.maxSurge = maxSurge.resolve(of: replicas, roundUp: true)
        self.maxUnavailable = maxUnavailable.resolve(of: replicas, roundUp: false)
        if self.maxSurge == 0 && self.maxUnavailable == 0 { self.maxUnavailable = 1 }
    }

    /// The new replica set's next `spec.replicas`. An old set counts with the pods it still has
    /// when its controller has not removed those above its lowered `spec.replicas` yet, so that
    /// the pods never outnumber `replicas + maxSurge` while one set grows and another shrinks.
    func newReplicas(new: Set, old: [Set]) -> Int {
        let total = new.replicas + old.reduce(0) { $0 + max($1.replicas, $1.pods) }
        let maxTotal = replicas + maxSurge
        guard total < maxTotal else { return new.replicas }
        return new.replicas + max(0, min(maxTotal - total, replicas - new.replicas))
    }

    /// The old replica sets' next `spec.replicas`, in the order given (oldest first): first the
    /// pods that are not available go, then available ones down to the minimum.
    func oldReplicas(new: Set, old: [Set]) -> [Int] {
        var result = old.map(\.replicas)
        let oldCount = result.reduce(0, +)
        guard oldCount > 0 else { return result }
        let allCount = new.replicas + oldCount
        let minAvailable = replicas - maxUnavailable
        let newUnavailable = max(0, new.replicas - new.available)
        var budget = allCount - minAvailable - newUnavailable
        guard budget > 0 else { return result }
        // Unavailable pods of old sets first: removing them costs no availability.
        var available = old.map(\.available)
        for index in old.indices where budget > 0 {
            let unhealthy = max(0, result[index] - available[index])
            let cut = min(budget, unhealthy)
            result[index] -= cut
            budget -= cut
            available[index] = min(available[index], result[index])
        }
        let totalAvailable = new.available + available.reduce(0, +)
        var surplus = totalAvailable - minAvailable
        for index in old.indices where surplus > 0 && result[index] > 0 {
            let cut = min(result[index], surplus)
            result[index] -= cut
            surplus -= cut
        }
        return result
    }
}

/// A Kubernetes IntOrString count: a number, or a percentage such as `"25%"`.
enum IntOrPercent: Equatable {
    case count(Int)
    case percent(Int)

    /// The count for a total of `total`.
    func resolve(of total: Int, roundUp: Bool) -> Int {
        switch self {
        case .count(let n): return max(0, n)
        case .percent(let p):
            let scaled = total * p
            return max(0, roundUp ? (scaled + 99) / 100 : scaled / 100)
        }
    }
}
