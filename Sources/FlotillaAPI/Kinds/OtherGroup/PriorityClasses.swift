import FlotillaCore

/// The scheduling.k8s.io/v1 `priorityclasses` resource: defaults, validation and columns.
enum PriorityClasses {
    static let resource = ResourceDefinition(
        group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", namespaced: false,
        shortNames: ["pc"], schema: PolicySchedulingSchemas.scheduling + "PriorityClass", hasSpec: false,
        columns: [
            TableColumn("Value", type: "integer", description: "The priority.") { o, _ in WorkloadColumns.integer(o, ["value"]) },
            TableColumn("Global-Default", type: "boolean", description: "Whether pods without a class get this one.") { o, _ in
                .bool(o["globalDefault"].bool ?? false)
            },
            .age,
        ],
        defaulter: { $0.fillIfAbsent(["preemptionPolicy"], "PreemptLowerPriority") },
        validator: { validate($0, $1) })

    /// The largest value a class outside the `system-` names may have.
    static let highestUserDefinablePriority: Int64 = 1_000_000_000

    /// The built-in classes that alone may use the `system-` prefix, with their values.
    static let systemClasses: [String: Int64] = ["system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000]

    static func validate(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let name = object[path: ["metadata", "name"]].string ?? ""
        let value = object["value"].int ?? 0
        if name.hasPrefix("system-") {
            let problem: String?
            if let expected = systemClasses[name] {
                problem = expected == value ? nil : "value of \(name) PriorityClass must be \(expected)"
            } else {
                problem = "name \(name) is not a known system priority class"
            }
            if let problem {
                causes.append(.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for system use only. error: \(problem)"))
            }
        } else if value > highestUserDefinablePriority {
            causes.append(.forbidden("value", "maximum allowed value of a user defined priority is \(highestUserDefinablePriority)"))
        }
        if let policy = object["preemptionPolicy"].string, policy != "Never", policy != "PreemptLowerPriority" {
            causes.append(.notSupported("preemptionPolicy", policy, ["Never", "PreemptLowerPriority"]))
        }
        if let old {
            if old["value"].int != object["value"].int {
                causes.append(.forbidden("value", "may not be changed in an update."))
            }
            causes += WorkloadValidation.immutable(object, old, path: ["preemptionPolicy"], label: "preemptionPolicy")
        }
        return causes
    }
}
