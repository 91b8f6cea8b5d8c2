import FlotillaCore

/// The batch/v1 defaults, as Kubernetes' `SetDefaults_Job` and `SetDefaults_CronJob` apply
/// them, plus the selector and pod labels that the job strategy generates on create.
enum BatchV1Defaults {
    /// The label keys that tie a job's pods to it.
    static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    static let jobNameLabel = "batch.kubernetes.io/job-name"
    static let legacyControllerUIDLabel = "controller-uid"
    static let legacyJobNameLabel = "job-name"

    /// completions and parallelism 1 when both are absent (parallelism 1 otherwise), backoffLimit
    /// 6 (the int32 maximum with backoffLimitPerIndex), completionMode NonIndexed, suspend false,
    /// manualSelector false, podReplacementPolicy TerminatingOrFailed (Failed with a pod
    /// failure policy), pod condition patterns status True; unless `manualSelector` is true the
    /// selector `batch.kubernetes.io/controller-uid=<uid>` and the matching template labels;
    /// then `metadata.labels` from the template's labels when empty. The template's
    /// restartPolicy is left as given: it must be OnFailure or Never.
    static func job(_ object: inout JSON) {
        if object[path: ["spec", "completions"]].isNull && object[path: ["spec", "parallelism"]].isNull {
            object[path: ["spec", "completions"]] = 1
            object[path: ["spec", "parallelism"]] = 1
        }
        object.fillIfAbsent(["spec", "parallelism"], 1)
        if object[path: ["spec", "backoffLimit"]].isNull {
            object[path: ["spec", "backoffLimit"]] = object[path: ["spec", "backoffLimitPerIndex"]].isNull ? 6 : .int(Int64(Int32.max))
        }
        object.fillIfAbsent(["spec", "completionMode"], "NonIndexed")
        object.fillIfAbsent(["spec", "suspend"], false)
        object.fillIfAbsent(["spec", "manualSelector"], false)
        let hasFailurePolicy = !object[path: ["spec", "podFailurePolicy"]].isNull
        object.fillIfAbsent(["spec", "podReplacementPolicy"], hasFailurePolicy ? "Failed" : "TerminatingOrFailed")
        if var rules = object[path: ["spec", "podFailurePolicy", "rules"]].array {
            for r in rules.indices {
                guard var patterns = rules[r]["onPodConditions"].array else { continue }
                for p in patterns.indices where patterns[p].object != nil { patterns[p].fillIfAbsent(["status"], "True") }
                rules[r]["onPodConditions"] = .array(patterns)
            }
            object[path: ["spec", "podFailurePolicy", "rules"]] = .array(rules)
        }
        if object[path: ["spec", "manualSelector"]].bool != true {
            generateSelector(&object)
        }
        if (object[path: ["metadata", "labels"]].object ?? [:]).isEmpty,
            let templateLabels = object[path: ["spec", "template", "metadata", "labels"]].object, !templateLabels.isEmpty
        {
            object[path: ["metadata", "labels"]] = .object(templateLabels)
        }
        if object[path: ["spec", "template"]].object != nil {
            PodDefaults.applyToPodTemplate(&object[path: ["spec", "template"]])
        }
    }

    /// The job strategy's generated selector: template labels `batch.kubernetes.io/job-name`,
    /// `job-name`, `batch.kubernetes.io/controller-uid` and `controller-uid` (each unless already
    /// set) and `spec.selector.matchLabels[batch.kubernetes.io/controller-uid]`. Needs
    /// `metadata.uid`; a conflicting user value is left for validation to reject.
    static func generateSelector(_ object: inout JSON) {
        guard let uid = object[path: ["metadata", "uid"]].string, !uid.isEmpty else { return }
        let name = object[path: ["metadata", "name"]].string ?? ""
        let labelsPath = ["spec", "template", "metadata", "labels"]
        for key in [legacyJobNameLabel, jobNameLabel] { object.fillIfAbsent(labelsPath + [key], .string(name)) }
        for key in [legacyControllerUIDLabel, controllerUIDLabel] { object.fillIfAbsent(labelsPath + [key], .string(uid)) }
        object.fillIfAbsent(["spec", "selector", "matchLabels", controllerUIDLabel], .string(uid))
    }

    /// concurrencyPolicy Allow, suspend false, successfulJobsHistoryLimit 3,
    /// failedJobsHistoryLimit 1; pod defaults on the job template's pod template.
    static func cronJob(_ object: inout JSON) {
        object.fillIfAbsent(["spec", "concurrencyPolicy"], "Allow")
        object.fillIfAbsent(["spec", "suspend"], false)
        object.fillIfAbsent(["spec", "successfulJobsHistoryLimit"], 3)
        object.fillIfAbsent(["spec", "failedJobsHistoryLimit"], 1)
        let template = ["spec", "jobTemplate", "spec", "template"]
        if object[path: template].object != nil {
            PodDefaults.applyToPodTemplate(&object[path: template])
        }
    }
}
