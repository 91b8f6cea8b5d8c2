import FlotillaCore

/// A pod's quality-of-service class, computed from its containers' cpu and memory requests
/// and limits as Kubernetes does (`GetPodQOS`).
public enum PodQOS: String, Sendable {
    /// Every container has cpu and memory limits, and requests equal to them.
    case guaranteed = "Guaranteed"
    /// Some requests or limits, but not the guaranteed shape.
    case burstable = "Burstable"
    /// No cpu or memory requests or limits at all.
    case bestEffort = "BestEffort"

    private static let computeResources: Set<String> = ["cpu", "memory"]

    /// The class of a pod spec (requests should already be defaulted from limits).
    public static func classify(_ spec: JSON) -> PodQOS {
        var requests: [String: Quantity] = [:]
        var limits: [String: Quantity] = [:]
        var guaranteed = true
        let containers = (spec["initContainers"].array ?? []) + (spec["containers"].array ?? [])
        for c in containers {
            for (name, q) in positiveQuantities(c["resources"]["requests"]) {
                requests[name, default: .zero] = requests[name, default: .zero] + q
            }
            var limitsFound = Set<String>()
            for (name, q) in positiveQuantities(c["resources"]["limits"]) {
                limitsFound.insert(name)
                limits[name, default: .zero] = limits[name, default: .zero] + q
            }
            if !limitsFound.isSuperset(of: computeResources) { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return .bestEffort }
        if guaranteed {
            for (name, request) in requests where limits[name] != request {
                guaranteed = false
                break
            }
        }
        return guaranteed && requests.count == limits.count ? .guaranteed : .burstable
    }

    private static func positiveQuantities(_ list: JSON) -> [(String, Quantity)] {
        guard let members = list.object else { return [] }
        return members.compactMap { name, value in
            guard computeResources.contains(name), let q = Quantity(json: value), q > .zero else { return nil }
            return (name, q)
        }
    }
}
