import FlotillaCore
import Foundation

/// The pause before a Job creates pods again after some failed, as Kubernetes' job controller
/// waits: none before the first failure, then 10 s doubling with each failure since the last
/// success, at most 6 minutes, counted from when the last pod failed.
enum JobBackoff {
    static let policy = Backoff(initial: .seconds(10), maximum: .seconds(360))

    /// The delay after `failures` consecutive failures.
    static func delay(failures: Int) -> Duration {
        failures <= 0 ? .zero : policy.baseDelay(attempt: failures - 1)
    }

    /// How long after `now` the job may create pods again, judged from its finished pods; zero
    /// when it may now.
    static func remaining(pods: [JSON], now: Date) -> Duration {
        let lastSuccess = pods.filter { $0["status"]["phase"].string == "Succeeded" }.compactMap(JobPods.finishedAt).max() ?? .distantPast
        let failures = pods.filter { $0["status"]["phase"].string == "Failed" }.compactMap(JobPods.finishedAt).filter { $0 > lastSuccess }
        guard let lastFailure = failures.max() else { return .zero }
        let wait = delay(failures: failures.count)
        let (seconds, attoseconds) = wait.components
        let until = lastFailure.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        let left = until.timeIntervalSince(now)
        return left > 0 ? .milliseconds(Int64((left * 1000).rounded(.up))) : .zero
    }
}
