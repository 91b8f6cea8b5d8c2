import FlotillaCore

/// The coordination.k8s.io/v1 `leases` resource: validation and columns.
enum Leases {
    static let resource = ResourceDefinition(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true,
        schema: CoordinationDiscoverySchemas.coordination + "Lease",
        columns: [
            TableColumn("Holder", description: "The current holder of the lease.") { o, _ in
                .string(o[path: ["spec", "holderIdentity"]].string ?? "")
            },
            .age,
        ],
        validator: { object, _ in validate(object) })

    /// leaseDurationSeconds above 0, leaseTransitions not negative, a preferred holder only
    /// with a strategy.
    static func validate(_ object: JSON) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = WorkloadValidation.positive(spec["leaseDurationSeconds"], "spec.leaseDurationSeconds")
        causes += WorkloadValidation.nonNegative(spec["leaseTransitions"], "spec.leaseTransitions")
        if let holder = spec["preferredHolder"].string, !holder.isEmpty, (spec["strategy"].string ?? "").isEmpty {
            causes.append(.forbidden("spec.preferredHolder", "preferredHolder can only be set when strategy is set"))
        }
        return causes
    }
}
