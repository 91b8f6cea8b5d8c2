import FlotillaCore

/// The apps/v1 validation rules, with Kubernetes' messages and field paths. Each function
/// takes the new object and, on update, the stored one.
enum AppsV1Validation {
    static func deployment(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = WorkloadValidation.nonNegative(spec["replicas"], "spec.replicas")
        causes += WorkloadValidation.selectorAndTemplate(spec, path: "spec", kindWord: "deployment")
        causes += podTemplate(spec, kind: "ReplicaSet")
        causes += deploymentStrategy(spec["strategy"])
        causes += WorkloadValidation.nonNegative(spec["minReadySeconds"], "spec.minReadySeconds")
        causes += WorkloadValidation.nonNegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
        let deadline = spec["progressDeadlineSeconds"]
        causes += WorkloadValidation.nonNegative(deadline, "spec.progressDeadlineSeconds")
        if let d = deadline.int, d <= (spec["minReadySeconds"].int ?? 0) {
            causes.append(.invalid("spec.progressDeadlineSeconds", .int(d), "must be greater than minReadySeconds"))
        }
        if let old {
            causes += WorkloadValidation.immutable(object, old, path: ["spec", "selector"], label: "spec.selector")
        }
        return causes
    }

    static func replicaSet(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = WorkloadValidation.nonNegative(spec["replicas"], "spec.replicas")
        causes += WorkloadValidation.nonNegative(spec["minReadySeconds"], "spec.minReadySeconds")
        causes += WorkloadValidation.selectorAndTemplate(spec, path: "spec", kindWord: "deployment")
        causes += podTemplate(spec, kind: "ReplicaSet")
        if let old {
            causes += WorkloadValidation.immutable(object, old, path: ["spec", "selector"], label: "spec.selector")
        }
        return causes
    }

    static func daemonSet(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = WorkloadValidation.selectorAndTemplate(spec, path: "spec", kindWord: "daemonset")
        causes += podTemplate(spec, kind: "DaemonSet")
        causes += WorkloadValidation.nonNegative(spec["minReadySeconds"], "spec.minReadySeconds")
        causes += daemonSetUpdateStrategy(spec["updateStrategy"])
        causes += WorkloadValidation.nonNegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
        if let old {
            causes += WorkloadValidation.immutable(object, old, path: ["spec", "selector"], label: "spec.selector")
        }
        return causes
    }

    static func statefulSet(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes: [FlotillaError.Cause] = []
        switch spec["podManagementPolicy"].string ?? "" {
        case "OrderedReady", "Parallel": break
        case "": causes.append(.required("spec.podManagementPolicy"))
        case let other: causes.append(.invalid("spec.podManagementPolicy", other, "must be 'OrderedReady' or 'Parallel'"))
        }
        causes += statefulSetUpdateStrategy(spec["updateStrategy"])
        let retention = spec["persistentVolumeClaimRetentionPolicy"]
        for key in ["whenDeleted", "whenScaled"] {
            if let value = retention[key].string, value != "Retain", value != "Delete" {
                causes.append(.notSupported("spec.persistentVolumeClaimRetentionPolicy.\(key)", value, ["Retain", "Delete"]))
            }
        }
        causes += WorkloadValidation.nonNegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
        causes += WorkloadValidation.nonNegative(spec["replicas"], "spec.replicas")
        causes += WorkloadValidation.nonNegative(spec["minReadySeconds"], "spec.minReadySeconds")
        causes += WorkloadValidation.nonNegative(spec[path: ["ordinals", "start"]], "spec.ordinals.start")
        causes += WorkloadValidation.selectorAndTemplate(spec, path: "spec", kindWord: "statefulset")
        // The pods mount the claims of the volume claim templates as volumes of those names.
        var withClaims = spec
        var volumes = spec[path: ["template", "spec", "volumes"]].array ?? []
        for claim in spec["volumeClaimTemplates"].array ?? [] {
            guard let name = claim[path: ["metadata", "name"]].string, !name.isEmpty, !volumes.contains(where: { $0["name"].string == name }) else { continue }
            volumes.append(["name": .string(name), "persistentVolumeClaim": ["claimName": .string(name)]])
        }
        if !volumes.isEmpty { withClaims[path: ["template", "spec", "volumes"]] = .array(volumes) }
        causes += podTemplate(withClaims, kind: "StatefulSet")
        for (i, claim) in (spec["volumeClaimTemplates"].array ?? []).enumerated() {
            let name = claim[path: ["metadata", "name"]].string ?? ""
            if name.isEmpty {
                causes.append(.required("spec.volumeClaimTemplates[\(i)].metadata.name", "name or generateName is required"))
            } else {
                for message in NameValidation.dnsSubdomain(name) {
                    causes.append(.invalid("spec.volumeClaimTemplates[\(i)].metadata.name", name, message))
                }
            }
        }
        if let old {
            causes += statefulSetSpecUpdate(spec, old["spec"])
        }
        return causes
    }

    static func controllerRevision(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        var causes = object["revision"].isNull ? [.required("revision")] : WorkloadValidation.nonNegative(object["revision"], "revision")
        if object["data"].isNull { causes.append(.required("data", "data is mandatory")) }
        if let old {
            causes += WorkloadValidation.immutable(object, old, path: ["data"], label: "data")
        }
        return causes
    }

    // MARK: Parts

    /// The template checks of long-running workloads: restartPolicy Always, no
    /// activeDeadlineSeconds, and the pod template's own validation.
    private static func podTemplate(_ spec: JSON, kind: String) -> [FlotillaError.Cause] {
        var causes = WorkloadValidation.restartPolicyAlways(spec, path: "spec")
        causes += WorkloadValidation.noActiveDeadline(spec, path: "spec", kind: kind)
        if spec["template"].object == nil {
            causes.append(.required("spec.template"))
        } else {
            causes += PodValidation.validatePodTemplate(spec["template"], path: "spec.template")
        }
        return causes
    }

    private static func deploymentStrategy(_ strategy: JSON) -> [FlotillaError.Cause] {
        let type = strategy["type"].string ?? ""
        let rolling = strategy["rollingUpdate"]
        switch type {
        case "Recreate":
            return rolling.isNull ? [] : [.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate":
            if rolling.isNull { return [.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil")] }
            let path = "spec.strategy.rollingUpdate"
            var causes = WorkloadValidation.intOrPercent(rolling["maxUnavailable"], path + ".maxUnavailable")
            causes += WorkloadValidation.intOrPercent(rolling["maxSurge"], path + ".maxSurge")
            if WorkloadValidation.intOrPercentNumber(rolling["maxUnavailable"]) == 0,
                WorkloadValidation.intOrPercentNumber(rolling["maxSurge"]) == 0
            {
                causes.append(.invalid(path + ".maxUnavailable", rolling["maxUnavailable"], "may not be 0 when `maxSurge` is 0"))
            }
            causes += WorkloadValidation.notMoreThan100Percent(rolling["maxUnavailable"], path + ".maxUnavailable")
            return causes
        default:
            return [.notSupported("spec.strategy.type", type, ["Recreate", "RollingUpdate"])]
        }
    }

    private static func daemonSetUpdateStrategy(_ strategy: JSON) -> [FlotillaError.Cause] {
        let type = strategy["type"].string ?? ""
        switch type {
        case "OnDelete":
            return []
        case "RollingUpdate":
            let rolling = strategy["rollingUpdate"]
            let path = "spec.updateStrategy.rollingUpdate"
            if rolling.isNull { return [.required(path, "this should be defaulted and never be nil")] }
            var causes = WorkloadValidation.intOrPercent(rolling["maxUnavailable"], path + ".maxUnavailable")
            causes += WorkloadValidation.notMoreThan100Percent(rolling["maxUnavailable"], path + ".maxUnavailable")
            causes += WorkloadValidation.intOrPercent(rolling["maxSurge"], path + ".maxSurge")
            causes += WorkloadValidation.notMoreThan100Percent(rolling["maxSurge"], path + ".maxSurge")
            if WorkloadValidation.intOrPercentNumber(rolling["maxUnavailable"]) ?? 0 == 0,
                WorkloadValidation.intOrPercentNumber(rolling["maxSurge"]) ?? 0 == 0
            {
                causes.append(.invalid(path + ".maxUnavailable", rolling["maxUnavailable"], "cannot be 0 when maxSurge is 0"))
            }
            return causes
        default:
            return [.notSupported("spec.updateStrategy.type", type, ["OnDelete", "RollingUpdate"])]
        }
    }

    private static func statefulSetUpdateStrategy(_ strategy: JSON) -> [FlotillaError.Cause] {
        let rolling = strategy["rollingUpdate"]
        switch strategy["type"].string ?? "" {
        case "":
            return [.required("spec.updateStrategy")]
        case "OnDelete":
            return rolling.isNull ? [] : [.invalid("spec.updateStrategy.rollingUpdate", rolling, "only allowed for updateStrategy 'RollingUpdate'")]
        case "RollingUpdate":
            let path = "spec.updateStrategy.rollingUpdate"
            var causes = WorkloadValidation.nonNegative(rolling["partition"], path + ".partition")
            let maxUnavailable = rolling["maxUnavailable"]
            if !maxUnavailable.isNull {
                causes += WorkloadValidation.intOrPercent(maxUnavailable, path + ".maxUnavailable")
                if WorkloadValidation.intOrPercentNumber(maxUnavailable) == 0 {
                    causes.append(.invalid(path + ".maxUnavailable", maxUnavailable, "must be greater than 0"))
                }
                causes += WorkloadValidation.notMoreThan100Percent(maxUnavailable, path + ".maxUnavailable")
            }
            return causes
        case let other:
            return [.invalid("spec.updateStrategy", other, "must be 'RollingUpdate' or 'OnDelete'")]
        }
    }

    /// The fields of a stateful set's spec that may change after creation.
    static let statefulSetMutableFields = [
        "replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
    ]

    private static func statefulSetSpecUpdate(_ spec: JSON, _ oldSpec: JSON) -> [FlotillaError.Cause] {
        var a = spec
        var b = oldSpec
        for key in statefulSetMutableFields {
            a[key] = .null
            b[key] = .null
        }
        guard !a.isEquivalent(to: b) else { return [] }
        return [.forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
    }
}
