import FlotillaCore

/// The policy/v1 `poddisruptionbudgets` resource: validation and columns.
enum PodDisruptionBudgets {
    static let resource = ResourceDefinition(
        group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true,
        shortNames: ["pdb"], subresources: [Subresources.status("policy", "v1", "PodDisruptionBudget")],
        schema: PolicySchedulingSchemas.policy + "PodDisruptionBudget", hasStatusSubresource: true,
        columns: [
            TableColumn("Min Available", description: "Pods that must stay available.") { o, _ in
                .string(intOrString(o[path: ["spec", "minAvailable"]]))
            },
            TableColumn("Max Unavailable", description: "Pods that may be unavailable.") { o, _ in
                .string(intOrString(o[path: ["spec", "maxUnavailable"]]))
            },
            TableColumn("Allowed Disruptions", type: "integer", description: "Pod disruptions allowed now.") { o, _ in
                WorkloadColumns.integer(o, ["status", "disruptionsAllowed"])
            },
            .age,
        ],
        validator: { object, _ in validate(object) })

    static let evictionPolicies = ["AlwaysAllow", "IfHealthyBudget"]

    /// minAvailable and maxUnavailable exclude each other and are counts or percentages up to
    /// 100%; the selector is valid; the unhealthy-pod policy is known.
    static func validate(_ object: JSON) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes: [FlotillaError.Cause] = []
        if !spec["minAvailable"].isNull && !spec["maxUnavailable"].isNull {
            causes.append(.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"))
        }
        for key in ["minAvailable", "maxUnavailable"] where !spec[key].isNull {
            causes += WorkloadValidation.intOrPercent(spec[key], "spec.\(key)")
            causes += WorkloadValidation.notMoreThan100Percent(spec[key], "spec.\(key)")
        }
        causes += ObjectMetaValidation.validateLabelSelector(spec["selector"], path: "spec.selector")
        if let policy = spec["unhealthyPodEvictionPolicy"].string, !evictionPolicies.contains(policy) {
            causes.append(.notSupported("spec.unhealthyPodEvictionPolicy", policy, evictionPolicies))
        }
        return causes
    }

    /// An `intOrString` as printed, `N/A` when absent.
    static func intOrString(_ value: JSON) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return "N/A"
        }
    }
}
