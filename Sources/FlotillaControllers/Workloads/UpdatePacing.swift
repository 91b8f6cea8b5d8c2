import FlotillaCore

/// Swarm-style pacing of a deployment's rolling update, from its annotations:
/// `flotilla.io/update-parallelism` (at most that many pods changing at once) and
/// `flotilla.io/update-delay` (a wait after each batch is available before the next starts:
/// seconds, or a duration such as `30s`, `1m30s`, `500ms`).
struct UpdatePacing: Equatable {
    static let parallelismAnnotation = "flotilla.io/update-parallelism"
    static let delayAnnotation = "flotilla.io/update-delay"

    var parallelism: Int?
    var delay: Duration

    /// The pacing a deployment asks for; nil when it asks for none (or only for nonsense,
    /// which is ignored).
    init?(_ deployment: JSON) {
        let annotations = deployment["metadata"]["annotations"]
        let parallelism = annotations[Self.parallelismAnnotation].string.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        let delay = annotations[Self.delayAnnotation].string.flatMap(Self.duration) ?? .zero
        guard parallelism != nil || delay > .zero else { return nil }
        self.parallelism = parallelism
        self.delay = delay
    }

    /// `90`, `90s`, `1m30s`, `1h`, `250ms`; nil when unreadable.
    static func duration(_ text: String) -> Duration? {
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        var total: Duration = .zero
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let c = rest.first {
            if c.isNumber {
                number.append(c)
                rest.removeFirst()
                continue
            }
            guard let value = Int(number) else { return nil }
            number = ""
            if rest.hasPrefix("ms") {
                total += .milliseconds(value)
                rest.removeFirst(2)
            } else if c == "s" {
                total += .seconds(value)
                rest.removeFirst()
            } else if c == "m" {
                total += .seconds(value * 60)
                rest.removeFirst()
            } else if c == "h" {
                total += .seconds(value * 3600)
                rest.removeFirst()
            } else {
                return nil
            }
        }
        return number.isEmpty ? total : nil
    }

    /// The new replica set's target limited so that no more than `parallelism` of its pods are
    /// unavailable at once.
    func limitGrowth(target: Int, new: RollingUpdate.Set) -> Int {
        guard let parallelism, target > new.replicas else { return target }
        let inFlight = max(0, new.replicas - new.available)
        return min(target, new.replicas + max(0, parallelism - inFlight))
    }

    /// The old replica sets' targets with at most `parallelism` pods removed in this step.
    func limitShrink(targets: [Int], old: [RollingUpdate.Set]) -> [Int] {
        guard let parallelism else { return targets }
        var budget = parallelism
        return zip(targets, old).map { target, set in
            let cut = min(budget, max(0, set.replicas - target))
            budget -= cut
            return set.replicas - cut
        }
    }
}
