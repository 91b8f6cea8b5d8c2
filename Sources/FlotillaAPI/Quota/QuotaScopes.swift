import FlotillaCore

/// Which objects a resource quota counts, from its `spec.scopes` and `spec.scopeSelector`, as
/// Kubernetes matches them: a quota without scopes counts every object of its namespace; a
/// scoped quota counts only pods, those that match every scope.
public enum QuotaScopes {
    /// The scope names Flotilla evaluates.
    public static let names = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass"]
    /// The operators a scope selector may use.
    public static let operators = ["In", "NotIn", "Exists", "DoesNotExist"]

    /// Whether `quota` counts `object`, of `kind`.
    public static func matches(_ quota: JSON, _ object: JSON, kind: QuotaUsage.Counted) -> Bool {
        var requirements: [JSON] = (quota["spec"]["scopes"].array ?? []).map { ["scopeName": $0, "operator": "Exists"] }
        requirements += quota["spec"]["scopeSelector"]["matchExpressions"].array ?? []
        if requirements.isEmpty { return true }
        guard kind == QuotaUsage.pods else { return false }
        return requirements.allSatisfy { podMatches($0, object) }
    }

    private static func podMatches(_ requirement: JSON, _ pod: JSON) -> Bool {
        let spec = pod["spec"]
        let terminating = (spec["activeDeadlineSeconds"].int ?? -1) >= 0
        let bestEffort = PodQOS.classify(spec) == .bestEffort
        let scope = requirement["scopeName"].string ?? ""
        let op = requirement["operator"].string ?? ""
        switch scope {
        case "Terminating": return terminating == (op != "DoesNotExist")
        case "NotTerminating": return !terminating == (op != "DoesNotExist")
        case "BestEffort": return bestEffort == (op != "DoesNotExist")
        case "NotBestEffort": return !bestEffort == (op != "DoesNotExist")
        case "PriorityClass":
            let priorityClass = spec["priorityClassName"].string ?? ""
            let values = (requirement["values"].array ?? []).compactMap(\.string)
            switch op {
            case "In": return values.contains(priorityClass)
            case "NotIn": return !values.contains(priorityClass)
            case "Exists": return !priorityClass.isEmpty
            case "DoesNotExist": return priorityClass.isEmpty
            default: return false
            }
        default:
            return false
        }
    }

    /// The quota resource names a scope allows in `hard`: BestEffort pods are counted only by
    /// number; nil for scopes that allow every pod resource.
    public static func allowedResources(_ scope: String) -> Set<String>? {
        scope == "BestEffort" ? ["pods", "count/pods"] : nil
    }
}
