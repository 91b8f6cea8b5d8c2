import Foundation

/// Kubernetes' limit on the events one source writes about one object: a token bucket per
/// object that holds 25 events and gains one every 5 minutes. A replica set that creates
/// 10,000 pods records its first 25 `SuccessfulCreate` events and then one per 5 minutes, as
/// client-go's recorder does, instead of one write per pod.
///
/// Buckets are kept for at most ``remembered`` objects: beyond that, the buckets that have
/// filled up again go first (they hold nothing a new bucket would not), then the oldest, down
/// to three quarters of the bound, so that the sort this takes is paid once per thousand new
/// objects and not for each.
struct EventSpamFilter: Sendable {
    struct Bucket: Sendable {
        var tokens: Double
        var updated: Date
    }

    var burst = 25.0
    /// Seconds per token regained.
    var refillInterval: TimeInterval = 300
    var remembered = 4096
    private(set) var buckets: [String: Bucket] = [:]

    /// Whether one more event about the object `key` may be written at `now`; takes its token.
    mutating func allows(_ key: String, now: Date) -> Bool {
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
        let regained = max(0, now.timeIntervalSince(bucket.updated)) / refillInterval
        bucket.tokens = min(burst, bucket.tokens + regained)
        bucket.updated = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        buckets[key] = bucket
        if buckets.count > remembered { forgetSome(now: now) }
        return allowed
    }

    private mutating func forgetSome(now: Date) {
        let full = burst * refillInterval
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < full - $0.value.tokens * refillInterval }
        guard buckets.count > remembered else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - remembered * 3 / 4)
        for (key, _) in oldest { buckets[key] = nil }
    }
}
