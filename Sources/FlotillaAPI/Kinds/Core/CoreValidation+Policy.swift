import FlotillaCore

extension CoreValidation {
    /// The quota resource names Kubernetes defines without a domain (besides `count/…` and huge
    /// pages).
    static let standardQuotaResources: Set<String> = [
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
        "requests.storage", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    ]

    /// The problems with a quota resource name: a qualified name that is standard, a `count/`
    /// name, huge pages, or carries a domain (extended resources, storage classes).
    static func quotaResourceName(_ name: String) -> [String] {
        let bare = name.hasPrefix("count/") ? String(name.dropFirst("count/".count)) : name
        let problems = NameValidation.qualifiedName(bare)
        if !problems.isEmpty { return problems }
        if name.hasPrefix("count/") || name.contains("/") || standardQuotaResources.contains(name) { return [] }
        if name.hasPrefix("hugepages-") || name.hasPrefix("requests.hugepages-") { return [] }
        return ["must be a standard resource for quota"]
    }

    /// ResourceQuota: hard limits are valid, non-negative quantities of quota resources, and the
    /// scopes and scope selector are known and fit those resources.
    public static func resourceQuota(_ rq: JSON, old: JSON?) -> [FlotillaError.Cause] {
        let spec = rq["spec"]
        let hard = ResourceListValidation.quantities(spec["hard"], path: "spec.hard", nameCheck: quotaResourceName)
        var causes = hard.causes
        var scopes: [String] = []
        for (i, scope) in (spec["scopes"].array ?? []).enumerated() {
            let found = PodValidation.enumValue(scope, "spec.scopes[\(i)]", QuotaScopes.names)
            causes += found
            if found.isEmpty, let name = scope.string { scopes.append(name) }
        }
        for (i, requirement) in (spec["scopeSelector"]["matchExpressions"].array ?? []).enumerated() {
            let p = "spec.scopeSelector.matchExpressions[\(i)]"
            let found = PodValidation.enumValue(requirement["scopeName"], p + ".scopeName", QuotaScopes.names)
            causes += found
            if found.isEmpty, let name = requirement["scopeName"].string { scopes.append(name) }
            causes += PodValidation.enumValue(requirement["operator"], p + ".operator", QuotaScopes.operators)
            let values = requirement["values"].array ?? []
            switch requirement["operator"].string {
            case "In", "NotIn":
                if values.isEmpty { causes.append(.required(p + ".values", "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector")) }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { causes.append(.invalid(p + ".values", .array(values), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector")) }
            default:
                break
            }
        }
        for (first, second) in [("Terminating", "NotTerminating"), ("BestEffort", "NotBestEffort")] where scopes.contains(first) && scopes.contains(second) {
            causes.append(.invalid("spec.scopes", .array(scopes.map { .string($0) }), "conflicting scopes"))
        }
        for scope in scopes {
            guard let allowed = QuotaScopes.allowedResources(scope) else { continue }
            for name in hard.values.keys.sorted() where !allowed.contains(name) {
                causes.append(.invalid(FieldPath.key("spec.hard", name), name, "unsupported scope applied to resource"))
            }
        }
        return causes
    }

    /// LimitRange: known item types, valid resource names and quantities, min ≤ default request
    /// ≤ default ≤ max, and limit-to-request ratios of at least 1.
    public static func limitRange(_ lr: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, item) in (lr["spec"]["limits"].array ?? []).enumerated() {
            let p = "spec.limits[\(i)]"
            causes += PodValidation.enumValue(item["type"], p + ".type", ["Container", "PersistentVolumeClaim", "Pod"])
            let claim = item["type"].string == "PersistentVolumeClaim"
            var lists: [String: [String: Quantity]] = [:]
            for key in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] {
                let result = ResourceListValidation.quantities(item[key], path: "\(p).\(key)", nameCheck: claim ? claimLimitName : ResourceListValidation.containerResourceName)
                lists[key] = result.values
                causes += result.causes
            }
            if item["type"].string != "Container" {
                for key in ["default", "defaultRequest"] where !(lists[key] ?? [:]).isEmpty {
                    causes.append(.forbidden("\(p).\(key)", "may not be specified when `type` is '\(item["type"].string ?? "")'"))
                }
            }
            causes += orderCauses(lists, path: p)
            for (name, ratio) in lists["maxLimitRequestRatio"] ?? [:] where ratio < Quantity(milli: 1000) {
                causes.append(.invalid("\(p).maxLimitRequestRatio[\(name)]", ratio.canonical, "ratio \(ratio.canonical) is less than 1"))
            }
        }
        return causes
    }

    /// The problems with a resource name in a claim's limit range item: only `storage` is limited.
    private static func claimLimitName(_ name: String) -> [String] {
        name == "storage" ? [] : ["must be a standard limit type or fully qualified"]
    }

    /// The pairs of a limit range item that must be ordered (min ≤ default request ≤ default ≤
    /// max), with Kubernetes' message for each pair out of order.
    private static func orderCauses(_ lists: [String: [String: Quantity]], path p: String) -> [FlotillaError.Cause] {
        let pairs: [(low: String, high: String, blamed: String, message: (Quantity, Quantity) -> String)] = [
            ("min", "max", "min", { "min value \($0.canonical) is greater than max value \($1.canonical)" }),
            ("min", "defaultRequest", "defaultRequest", { "min value \($0.canonical) is greater than default request value \($1.canonical)" }),
            ("defaultRequest", "max", "defaultRequest", { "default request value \($0.canonical) is greater than max value \($1.canonical)" }),
            ("defaultRequest", "default", "defaultRequest", { "default request value \($0.canonical) is greater than default limit value \($1.canonical)" }),
            ("min", "default", "default", { "min value \($0.canonical) is greater than default value \($1.canonical)" }),
            ("default", "max", "default", { "default value \($0.canonical) is greater than max value \($1.canonical)" }),
        ]
        var causes: [FlotillaError.Cause] = []
        for pair in pairs {
            for name in (lists[pair.low] ?? [:]).keys.sorted() {
                guard let low = lists[pair.low]?[name], let high = lists[pair.high]?[name], low > high else { continue }
                let value = pair.blamed == pair.low ? low : high
                causes.append(.invalid("\(p).\(pair.blamed)[\(name)]", value.canonical, pair.message(low, high)))
            }
        }
        return causes
    }
}
