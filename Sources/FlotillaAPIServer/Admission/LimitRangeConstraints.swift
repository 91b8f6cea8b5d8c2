import FlotillaAPI
import FlotillaCore
import Foundation

/// The checks of one LimitRange item against the requests and limits of a container, a pod or
/// a claim, with Kubernetes' messages (`minimum cpu usage per Container is 100m, but request is
/// 50m`).
struct LimitRangeConstraints {
    /// `Container`, `Pod` or `PersistentVolumeClaim`, as messages name it.
    let type: String
    let item: JSON

    /// The problems with `requests` and `limits`: each min, max and limit-to-request ratio of the
    /// item, in resource-name order.
    func violations(requests: ResourceList, limits: ResourceList) -> [String] {
        var problems: [String] = []
        let lists = ["min", "max", "maxLimitRequestRatio"].map { ResourceList(json: item[$0]) }
        for name in lists[0].names {
            problems += minimum(name, lists[0][name]!, requests: requests, limits: limits)
        }
        for name in lists[1].names {
            problems += maximum(name, lists[1][name]!, requests: requests, limits: limits)
        }
        for name in lists[2].names {
            problems += ratio(name, lists[2][name]!, requests: requests, limits: limits)
        }
        return problems
    }

    private func minimum(_ name: String, _ enforced: Quantity, requests: ResourceList, limits: ResourceList) -> [String] {
        let prefix = "minimum \(name) usage per \(type) is \(enforced.canonical)"
        guard let request = requests[name] else { return ["\(prefix).  No request is specified"] }
        if request < enforced { return ["\(prefix), but request is \(request.canonical)"] }
        if let limit = limits[name], limit < enforced { return ["\(prefix), but limit is \(limit.canonical)"] }
        return []
    }

    /// Claims have no limits: their maximum applies to the request.
    private func maximum(_ name: String, _ enforced: Quantity, requests: ResourceList, limits: ResourceList) -> [String] {
        let prefix = "maximum \(name) usage per \(type) is \(enforced.canonical)"
        if type == "PersistentVolumeClaim" {
            guard let request = requests[name] else { return ["\(prefix).  No request is specified"] }
            return request > enforced ? ["\(prefix), but request is \(request.canonical)"] : []
        }
        guard let limit = limits[name] else { return ["\(prefix).  No limit is specified"] }
        if limit > enforced { return ["\(prefix), but limit is \(limit.canonical)"] }
        if let request = requests[name], request > enforced { return ["\(prefix), but request is \(request.canonical)"] }
        return []
    }

    private func ratio(_ name: String, _ enforced: Quantity, requests: ResourceList, limits: ResourceList) -> [String] {
        let prefix = "\(name) max limit to request ratio per \(type) is \(enforced.canonical)"
        guard let request = requests[name], !request.isZero else { return ["\(prefix), but no request is specified or request is 0"] }
        guard let limit = limits[name], !limit.isZero else { return ["\(prefix), but no limit is specified or limit is 0"] }
        let observed = limit.value / request.value
        return observed > enforced.value ? ["\(prefix), but provided ratio is \(String(format: "%f", observed))"] : []
    }
}
