import FlotillaCore
import Foundation

/// Flotilla's job dependencies: `flotilla.io/after: "job-a,job-b"` on a Job makes it wait,
/// creating no pods, until the named Jobs of its namespace are Complete; it fails when one of
/// them failed. A CronJob's annotation is copied to the Jobs it creates.
enum JobDependencies {
    static let annotation = "flotilla.io/after"

    /// Where the named jobs stand.
    enum Verdict: Equatable {
        case met
        /// These are missing or still running.
        case waiting([String])
        /// These failed.
        case failed([String])
    }

    /// The job names the annotation of `object` lists, in order, without blanks or repeats.
    static func names(_ object: JSON) -> [String] {
        guard let text = object["metadata"]["annotations"][annotation].string else { return [] }
        var seen = Set<String>()
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The verdict on `job`'s dependencies; `lookup` finds a job of its namespace by name.
    static func verdict(of job: JSON, lookup: (String) -> JSON?) -> Verdict {
        var waiting: [String] = []
        var failed: [String] = []
        for name in names(job) {
            guard let dependency = lookup(name) else {
                waiting.append(name)
                continue
            }
            if JobConditions.isTrue(dependency, "Failed") {
                failed.append(name)
            } else if !JobConditions.isTrue(dependency, "Complete") {
                waiting.append(name)
            }
        }
        if !failed.isEmpty { return .failed(failed) }
        return waiting.isEmpty ? .met : .waiting(waiting)
    }
}
