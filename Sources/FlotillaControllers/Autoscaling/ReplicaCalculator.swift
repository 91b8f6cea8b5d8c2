import FlotillaAPI
import FlotillaCore
import Foundation

/// The replica count one `Resource` metric of a HorizontalPodAutoscaler asks for, as
/// Kubernetes computes it: the ratio of the pods' current usage to the target (average
/// utilization of their requests, or average value), applied to the pods measured, unless
/// it is within the 10% tolerance.
enum ReplicaCalculator {
    static let tolerance = 0.1

    /// One measured pod: what its containers request and use of the metric's resource
    /// (milli-units: millicores, or milli-bytes for memory).
    struct Sample: Equatable {
        var requestMilli: Int64
        var usageMilli: Int64
    }

    /// What the metric came to: the replicas it asks for and the current value to report.
    struct Result: Equatable {
        var replicas: Int
        /// Average utilization in percent of the requests, for Utilization targets.
        var averageUtilization: Int?
        var averageValueMilli: Int64
    }

    /// The recommendation of `metric` (a `spec.metrics[]` entry of type Resource) for
    /// `samples`, with `current` replicas now; throws naming what is missing.
    static func recommend(_ metric: JSON, samples: [Sample], current: Int) throws -> Result {
        let resource = metric["resource"]["name"].string ?? "cpu"
        guard !samples.isEmpty else {
            throw FlotillaError(.serviceUnavailable, "unable to get metrics for resource \(resource): no metrics returned from resource metrics API")
        }
        let usage = samples.reduce(Int64(0)) { $0 + $1.usageMilli }
        let average = usage / Int64(samples.count)
        let target = metric["resource"]["target"]
        let ratio: Double
        var utilization: Int?
        switch target["type"].string {
        case "Utilization":
            let requested = samples.reduce(Int64(0)) { $0 + $1.requestMilli }
            guard samples.allSatisfy({ $0.requestMilli > 0 }), requested > 0 else {
                throw FlotillaError(.badRequest, "failed to get \(resource) utilization: missing request for \(resource)")
            }
            let percent = Int((Double(usage) * 100 / Double(requested)).rounded(.down))
            utilization = percent
            let wanted = max(1, Int(target["averageUtilization"].int ?? 80))
            ratio = Double(percent) / Double(wanted)
        case "AverageValue":
            guard let wanted = Quantity(json: target["averageValue"])?.milliValue, wanted > 0 else {
                throw FlotillaError(.badRequest, "invalid averageValue target for \(resource)")
            }
            ratio = Double(average) / Double(wanted)
        default:
            throw FlotillaError(.badRequest, "the target type \(target["type"].string ?? "") is not supported for Resource metrics")
        }
        let replicas = abs(ratio - 1) <= tolerance ? current : Int((ratio * Double(samples.count)).rounded(.up))
        return Result(replicas: replicas, averageUtilization: utilization, averageValueMilli: average)
    }

    /// The sum of `resource` requested by the containers of `pod`, in milli-units.
    static func requestMilli(of pod: JSON, resource: String) -> Int64 {
        (pod["spec"]["containers"].array ?? []).reduce(Int64(0)) { total, container in
            total + (Quantity(json: container["resources"]["requests"][resource])?.milliValue ?? 0)
        }
    }

    /// The sum of `resource` used by the containers of a PodMetrics object, in milli-units.
    static func usageMilli(of podMetrics: JSON, resource: String) -> Int64 {
        (podMetrics["containers"].array ?? []).reduce(Int64(0)) { total, container in
            total + (Quantity(json: container["usage"][resource])?.milliValue ?? 0)
        }
    }
}
