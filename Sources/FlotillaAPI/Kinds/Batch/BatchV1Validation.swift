import FlotillaCore
import Foundation

/// The batch/v1 validation rules, with Kubernetes' messages and field paths.
enum BatchV1Validation {
    static func job(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = generatedSelector(object)
        causes += jobSpec(spec, path: "spec")
        if spec["selector"].isNull {
            causes.append(.required("spec.selector"))
        } else {
            causes += WorkloadValidation.selectorAndTemplate(spec, path: "spec", kindWord: "job", allowEmpty: true)
        }
        if let old {
            causes += jobSpecUpdate(spec, old["spec"], oldStatus: old["status"])
        }
        return causes
    }

    static func cronJob(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let name = object[path: ["metadata", "name"]].string ?? ""
        if name.count > 52 {
            causes.append(.invalid("metadata.name", name, "must be no more than 52 characters"))
        }
        let spec = object["spec"]
        let oldSpec = old?["spec"]
        let schedule = spec["schedule"].string ?? ""
        if schedule.isEmpty {
            causes.append(.required("spec.schedule"))
        } else {
            causes += scheduleFormat(
                schedule, timeZone: spec["timeZone"], allowTZ: oldSpec?["schedule"].string?.contains("TZ") ?? false)
        }
        causes += WorkloadValidation.nonNegative(spec["startingDeadlineSeconds"], "spec.startingDeadlineSeconds")
        if oldSpec == nil || !(oldSpec?["timeZone"] ?? .null).isEquivalent(to: spec["timeZone"]) {
            causes += timeZone(spec["timeZone"], path: "spec.timeZone")
        }
        switch spec["concurrencyPolicy"].string ?? "" {
        case "Allow", "Forbid", "Replace": break
        case "": causes.append(.required("spec.concurrencyPolicy"))
        case let other: causes.append(.notSupported("spec.concurrencyPolicy", other, ["Allow", "Forbid", "Replace"]))
        }
        causes += jobTemplate(spec["jobTemplate"], path: "spec.jobTemplate")
        causes += WorkloadValidation.nonNegative(spec["successfulJobsHistoryLimit"], "spec.successfulJobsHistoryLimit")
        causes += WorkloadValidation.nonNegative(spec["failedJobsHistoryLimit"], "spec.failedJobsHistoryLimit")
        return causes
    }

    // MARK: Job parts

    /// With a generated selector, the template must carry this job's controller-uid label.
    private static func generatedSelector(_ object: JSON) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        guard spec["manualSelector"].bool != true, let uid = object[path: ["metadata", "uid"]].string, !uid.isEmpty,
            !spec["selector"].isNull
        else { return [] }
        let key = BatchV1Defaults.controllerUIDLabel
        let path = "spec.template.metadata.labels"
        let value = spec[path: ["template", "metadata", "labels", key]].string
        guard let value else {
            return [.required(FieldPath.key(path, key), "`\(key)` must be specified when `manualSelector` is false")]
        }
        return value == uid ? [] : [.invalid(FieldPath.key(path, key), value, "must be '\(uid)'")]
    }

    /// The checks of a job spec shared by jobs and cron job templates (Kubernetes' `validateJobSpec`).
    static func jobSpec(_ spec: JSON, path: String) -> [FlotillaError.Cause] {
        func p(_ name: String) -> String { FieldPath.child(path, name) }
        var causes: [FlotillaError.Cause] = []
        for name in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"] {
            causes += WorkloadValidation.nonNegative(spec[name], p(name))
        }
        let mode = spec["completionMode"].string
        if !spec["backoffLimitPerIndex"].isNull {
            causes += WorkloadValidation.nonNegative(spec["backoffLimitPerIndex"], p("backoffLimitPerIndex"))
            if mode != "Indexed" {
                causes.append(.forbidden(p("backoffLimitPerIndex"), "requires indexed completion mode"))
            }
        }
        if !spec["maxFailedIndexes"].isNull {
            causes += WorkloadValidation.nonNegative(spec["maxFailedIndexes"], p("maxFailedIndexes"))
            if spec["backoffLimitPerIndex"].isNull {
                causes.append(.required(p("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
            }
        }
        if let mode {
            if mode != "NonIndexed" && mode != "Indexed" {
                causes.append(.notSupported(p("completionMode"), mode, ["NonIndexed", "Indexed"]))
            }
            if mode == "Indexed" {
                if spec["completions"].isNull {
                    causes.append(.required(p("completions"), "when completion mode is Indexed"))
                }
                if let parallelism = spec["parallelism"].int, parallelism > 100_000 {
                    causes.append(.invalid(p("parallelism"), .int(parallelism), "must be less than or equal to 100000 when completion mode is Indexed"))
                }
            }
        }
        let failurePolicy = spec["podFailurePolicy"]
        if !failurePolicy.isNull {
            causes += podFailurePolicy(failurePolicy, spec: spec, path: p("podFailurePolicy"))
        }
        if let replacement = spec["podReplacementPolicy"].string {
            if !failurePolicy.isNull {
                if replacement != "Failed" { causes.append(.notSupported(p("podReplacementPolicy"), replacement, ["Failed"])) }
            } else if replacement != "Failed" && replacement != "TerminatingOrFailed" {
                causes.append(.notSupported(p("podReplacementPolicy"), replacement, ["Failed", "TerminatingOrFailed"]))
            }
        }
        let template = spec["template"]
        if template.object == nil {
            causes.append(.required(p("template")))
        } else {
            let restart = template[path: ["spec", "restartPolicy"]].string ?? ""
            let restartPath = FieldPath.child(path, "template.spec.restartPolicy")
            if restart != "OnFailure" && restart != "Never" {
                causes.append(.notSupported(restartPath, restart, ["OnFailure", "Never"]))
            } else if !failurePolicy.isNull && restart != "Never" {
                causes.append(.invalid(restartPath, restart, "only \"Never\" is supported when podFailurePolicy is specified"))
            }
            causes += PodValidation.validatePodTemplate(template, path: FieldPath.child(path, "template")).filter {
                $0.field != restartPath
            }
        }
        return causes
    }

    private static func podFailurePolicy(_ policy: JSON, spec: JSON, path: String) -> [FlotillaError.Cause] {
        let rulesPath = FieldPath.child(path, "rules")
        let rules = policy["rules"].array ?? []
        var causes: [FlotillaError.Cause] = []
        if rules.count > 20 { causes.append(.tooMany(rulesPath, actual: rules.count, max: 20)) }
        for (i, rule) in rules.enumerated() {
            let rulePath = FieldPath.index(rulesPath, i)
            let action = rule["action"].string ?? ""
            let actions = ["Count", "FailIndex", "FailJob", "Ignore"]
            if !actions.contains(action) {
                causes.append(.notSupported(rulePath + ".action", action, actions))
            } else if action == "FailIndex" && spec["backoffLimitPerIndex"].isNull {
                causes.append(.forbidden(rulePath + ".action", "requires the backoffLimitPerIndex to be set"))
            }
            let exitCodes = rule["onExitCodes"]
            let conditions = rule["onPodConditions"].array ?? []
            switch (exitCodes.isNull, conditions.isEmpty) {
            case (false, false):
                causes.append(FlotillaError.Cause(
                    reason: "FieldValueInvalid", message: "Invalid value: \"\": specifying both OnExitCodes and OnPodConditions is not supported",
                    field: rulePath))
            case (true, true):
                causes.append(FlotillaError.Cause(
                    reason: "FieldValueInvalid", message: "Invalid value: \"\": specifying one of OnExitCodes and OnPodConditions is required",
                    field: rulePath))
            default:
                break
            }
            if !exitCodes.isNull {
                let codesPath = rulePath + ".onExitCodes"
                let op = exitCodes["operator"].string ?? ""
                if op != "In" && op != "NotIn" { causes.append(.notSupported(codesPath + ".operator", op, ["In", "NotIn"])) }
                let values = (exitCodes["values"].array ?? []).compactMap(\.int)
                if values.isEmpty { causes.append(.required(codesPath + ".values", "at least one value is required")) }
                if values.count > 255 { causes.append(.tooMany(codesPath + ".values", actual: values.count, max: 255)) }
                for (j, v) in values.enumerated() {
                    let valuePath = FieldPath.index(codesPath + ".values", j)
                    if op == "In" && v == 0 { causes.append(.invalid(valuePath, .int(v), "must not be 0 for the In operator")) }
                    if j > 0 && values[j - 1] == v { causes.append(.duplicate(valuePath, .int(v))) }
                    if j > 0 && values[j - 1] > v { causes.append(.invalid(valuePath, .int(v), "must be ordered")) }
                }
            }
            for (j, pattern) in conditions.enumerated() {
                let patternPath = FieldPath.index(rulePath + ".onPodConditions", j)
                let status = pattern["status"].string ?? ""
                if !["True", "False", "Unknown"].contains(status) {
                    causes.append(.notSupported(patternPath + ".status", status, ["False", "True", "Unknown"]))
                }
                if (pattern["type"].string ?? "").isEmpty { causes.append(.required(patternPath + ".type")) }
            }
        }
        return causes
    }

    /// A job's spec after creation: selector, completion mode, failure policy and per-index
    /// limit never change; completions only together with parallelism of an indexed job; the
    /// template only in its scheduling directives, and only while the job is suspended and has
    /// never started.
    private static func jobSpecUpdate(_ spec: JSON, _ oldSpec: JSON, oldStatus: JSON) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let elastic = spec["completionMode"].string == "Indexed" && oldSpec["completionMode"].string == "Indexed"
            && spec["completions"].int != nil && spec["completions"].int == spec["parallelism"].int
        if !elastic {
            causes += WorkloadValidation.immutable(spec, oldSpec, path: ["completions"], label: "spec.completions")
        }
        for name in ["selector", "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"] {
            causes += WorkloadValidation.immutable(spec, oldSpec, path: [name], label: "spec.\(name)")
        }
        var newTemplate = spec["template"]
        var oldTemplate = oldSpec["template"]
        let schedulingMutable = oldSpec["suspend"].bool == true && oldStatus["startTime"].isNull
        if schedulingMutable {
            for path in [["metadata", "labels"], ["metadata", "annotations"], ["spec", "nodeSelector"], ["spec", "tolerations"],
                ["spec", "affinity"], ["spec", "schedulingGates"]]
            {
                newTemplate[path: path] = .null
                oldTemplate[path: path] = .null
            }
        }
        if !newTemplate.isEquivalent(to: oldTemplate) {
            causes.append(.invalid("spec.template", spec["template"], "field is immutable"))
        }
        return causes
    }

    // MARK: CronJob parts

    private static func scheduleFormat(_ schedule: String, timeZone: JSON, allowTZ: Bool) -> [FlotillaError.Cause] {
        let path = "spec.schedule"
        if schedule.contains("TZ") {
            if !timeZone.isNull {
                return [.invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule")]
            }
            if !allowTZ {
                return [.invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
            }
            return []
        }
        do {
            _ = try CronSchedule(schedule)
            return []
        } catch {
            return [.invalid(path, schedule, error.message)]
        }
    }

    /// A time zone must be absent or a known IANA name (not `Local`).
    static func timeZone(_ value: JSON, path: String) -> [FlotillaError.Cause] {
        guard !value.isNull else { return [] }
        let name = value.string ?? ""
        if name.isEmpty { return [.invalid(path, name, "timeZone must be nil or non-empty string")] }
        for part in name.split(separator: "/", omittingEmptySubsequences: false) {
            let valid = !part.isEmpty && part != "." && part != ".." && !part.hasPrefix("-")
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "+") }
            if !valid { return [.invalid(path, name, "unknown time zone \(name)")] }
        }
        if name.lowercased() == "local" {
            return [.invalid(path, name, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
        }
        guard TimeZone(identifier: name) != nil else { return [.invalid(path, name, "unknown time zone \(name)")] }
        return []
    }

    private static func jobTemplate(_ template: JSON, path: String) -> [FlotillaError.Cause] {
        let specPath = FieldPath.child(path, "spec")
        let spec = template["spec"]
        var causes = jobSpec(spec, path: specPath)
        if !spec["selector"].isNull {
            causes.append(.invalid(FieldPath.child(specPath, "selector"), spec["selector"], "`selector` will be auto-generated"))
        }
        if spec["manualSelector"].bool == true {
            causes.append(.notSupported(FieldPath.child(specPath, "manualSelector"), .bool(true), ["nil", "false"]))
        }
        return causes
    }
}
