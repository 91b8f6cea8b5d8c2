import FlotillaCore

/// Checks of resource lists (`{"cpu": "500m", "memory": "1Gi"}`): quantities that parse and are
/// not negative, resource names that are valid, and requests no larger than limits.
public enum ResourceListValidation {
    /// Kubernetes' message for text that is not a quantity.
    public static let malformedQuantityMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    /// The quantities of `list` at `path`, with a cause for each one that does not parse or is
    /// negative. Names are checked with `nameCheck` when given (it returns the problems).
    public static func quantities(
        _ list: JSON, path: String, nameCheck: ((String) -> [String])? = nil
    ) -> (values: [String: Quantity], causes: [FlotillaError.Cause]) {
        guard let members = list.object else { return ([:], []) }
        var values: [String: Quantity] = [:]
        var causes: [FlotillaError.Cause] = []
        for (name, value) in members {
            let p = FieldPath.key(path, name)
            if let nameCheck { causes += nameCheck(name).map { .invalid(p, name, $0) } }
            guard let q = Quantity(json: value) else {
                causes.append(.invalid(p, value, malformedQuantityMessage))
                continue
            }
            if q < .zero { causes.append(.invalid(p, q.canonical, "must be greater than or equal to 0")) }
            values[name] = q
        }
        return (values, causes)
    }

    /// The problems with a container resource name: a qualified name that, without a domain
    /// prefix, is one of cpu, memory, ephemeral-storage or hugepages-<size>.
    public static func containerResourceName(_ name: String) -> [String] {
        if name == "cpu" || name == "memory" || name == "ephemeral-storage" { return [] }
        let problems = NameValidation.qualifiedName(name)
        if !problems.isEmpty { return problems }
        if name.utf8.contains(UInt8(ascii: "/")) || name.hasPrefix("hugepages-") { return [] }
        return ["must be a standard resource for containers"]
    }

    /// Whether requests may be below limits: native resources (no domain or a kubernetes.io
    /// domain) other than huge pages.
    static func overcommitAllowed(_ name: String) -> Bool {
        let native = !name.utf8.contains(UInt8(ascii: "/")) || name.hasPrefix("kubernetes.io/") || name.contains(".kubernetes.io/")
        return native && !name.hasPrefix("hugepages-")
    }

    /// Container `resources`: valid limits and requests, and each request at most its limit.
    public static func containerResources(_ resources: JSON, path: String) -> [FlotillaError.Cause] {
        let limitsPath = FieldPath.child(path, "limits")
        let requestsPath = FieldPath.child(path, "requests")
        let limits = quantities(resources["limits"], path: limitsPath, nameCheck: containerResourceName)
        let requests = quantities(resources["requests"], path: requestsPath, nameCheck: containerResourceName)
        var causes = limits.causes + requests.causes
        for name in requests.values.keys.sorted() {
            guard let request = requests.values[name], let limit = limits.values[name] else { continue }
            if request != limit && !overcommitAllowed(name) {
                causes.append(
                    .invalid(requestsPath, request.canonical, "must be equal to \(name) limit of \(limit.canonical)"))
            } else if request > limit {
                causes.append(
                    .invalid(
                        requestsPath, request.canonical, "must be less than or equal to \(name) limit of \(limit.canonical)"))
            }
        }
        return causes
    }
}
