/// The batch/v1 definitions (Job, CronJob and their parts), contributed to ``SchemaCatalog``.
///
/// Field numbers are those of Kubernetes' `batch/v1/generated.proto`.
public enum BatchV1Schemas {
    public static let definitions: [Definition] = [
        job, jobSpec, jobStatus, jobCondition, jobTemplateSpec, podFailurePolicy, podFailurePolicyRule,
        podFailurePolicyOnExitCodesRequirement, podFailurePolicyOnPodConditionsPattern, successPolicy,
        successPolicyRule, uncountedTerminatedPods,
        cronJob, cronJobSpec, cronJobStatus,
    ] + KindFields.lists(of: [prefix + "Job", prefix + "CronJob"])

    static let prefix = "io.k8s.api.batch.v1."

    // MARK: Job

    static let job = Definition(
        prefix + "Job", "Runs pods until a given number of them finish successfully.",
        gvk: [GroupVersionKind("batch", "v1", "Job")],
        fields: KindFields.object(spec: prefix + "JobSpec", status: prefix + "JobStatus"))

    static let jobSpec = Definition(
        prefix + "JobSpec", "What a job runs, how many times, and how failures count.",
        fields: [
            Field("parallelism", 1, .int32, "The most pods the job runs at once; defaults to 1.", presence: .pointer),
            Field("completions", 2, .int32, "How many pods must succeed; unset means the first success finishes the job.", presence: .pointer),
            Field("activeDeadlineSeconds", 3, .int64, "Seconds the job may stay active before it is stopped and failed.", presence: .pointer),
            Field("podFailurePolicy", 11, .ref(prefix + "PodFailurePolicy"), "Rules deciding how a failed pod counts."),
            Field("successPolicy", 16, .ref(prefix + "SuccessPolicy"), "Rules that declare an indexed job succeeded early."),
            Field("backoffLimit", 7, .int32, "Retries before the job is marked failed; defaults to 6.", presence: .pointer),
            Field("backoffLimitPerIndex", 12, .int32, "Retries allowed per index of an indexed job.", presence: .pointer),
            Field("maxFailedIndexes", 13, .int32, "Failed indexes tolerated before the whole job fails.", presence: .pointer),
            Field("selector", 4, .ref(KindFields.labelSelector), "Which pods belong to this job; normally generated."),
            Field("manualSelector", 5, .boolean, "Whether the selector and pod labels were chosen by the user instead of generated.", presence: .pointer),
            Field("template", 6, .ref(KindFields.podTemplateSpec), "The pod the job runs; restartPolicy must be OnFailure or Never.", required: true),
            Field("ttlSecondsAfterFinished", 8, .int32, "Seconds after finishing when the job may be deleted automatically.", presence: .pointer),
            Field("completionMode", 9, .string(enumValues: ["NonIndexed", "Indexed"]), "NonIndexed (the default) or Indexed completions.", presence: .pointer),
            Field("suspend", 10, .boolean, "Whether the job controller holds off creating pods.", presence: .pointer),
            Field("podReplacementPolicy", 14, .string(enumValues: ["TerminatingOrFailed", "Failed"]), "When a replacement pod is made: TerminatingOrFailed or Failed.", presence: .pointer),
            Field("managedBy", 15, .string(), "The controller that manages this job, when not the built-in one.", presence: .pointer),
        ])

    static let jobStatus = Definition(
        prefix + "JobStatus", "What the job controller last observed.",
        fields: [
            Field("conditions", 1, .array(.ref(prefix + "JobCondition")), "The latest observations: Complete, Failed, Suspended and others.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "atomic"),
            Field("startTime", 2, .time, "When the controller started working on the job."),
            Field("completionTime", 3, .time, "When the job finished successfully."),
            Field("active", 4, .int32, "Pods pending or running and not terminating."),
            Field("succeeded", 5, .int32, "Pods that succeeded."),
            Field("failed", 6, .int32, "Pods that failed."),
            Field("terminating", 11, .int32, "Pods being terminated.", presence: .pointer),
            Field("completedIndexes", 7, .string(), "Completed indexes of an indexed job, as ranges like 1,3-5,7."),
            Field("failedIndexes", 10, .string(), "Failed indexes of an indexed job, as ranges like 1,3-5,7.", presence: .pointer),
            Field("uncountedTerminatedPods", 8, .ref(prefix + "UncountedTerminatedPods"), "Finished pods not yet counted in the totals."),
            Field("ready", 9, .int32, "Active pods that are ready.", presence: .pointer),
        ])

    static let jobCondition = Definition(
        prefix + "JobCondition", "One observation of a job's state.",
        fields: [
            Field("type", 1, .string(), "Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.", required: true),
            Field("status", 2, .string(), "True, False or Unknown.", required: true),
            Field("lastProbeTime", 3, .time, "When the condition was last checked."),
            Field("lastTransitionTime", 4, .time, "When the status last changed."),
            Field("reason", 5, .string(), "A machine-readable word for the last change."),
            Field("message", 6, .string(), "A human-readable account of the last change."),
        ])

    static let jobTemplateSpec = Definition(
        prefix + "JobTemplateSpec", "The job a cron job creates at each scheduled time.",
        fields: [
            Field("metadata", 1, .ref(KindFields.objectMeta), "Labels and annotations given to each created job."),
            Field("spec", 2, .ref(prefix + "JobSpec"), "The spec of each created job."),
        ])

    static let podFailurePolicy = Definition(
        prefix + "PodFailurePolicy", "Rules deciding what a pod failure means for its job.",
        fields: [
            Field("rules", 1, .array(.ref(prefix + "PodFailurePolicyRule")), "Rules tried in order; the first match decides.",
                  required: true, listType: "atomic"),
        ])

    static let podFailurePolicyRule = Definition(
        prefix + "PodFailurePolicyRule", "An action taken when a failed pod meets a requirement.",
        fields: [
            Field("action", 1, .string(enumValues: ["Count", "FailIndex", "FailJob", "Ignore"]), "FailJob, FailIndex, Ignore or Count.", required: true),
            Field("onExitCodes", 2, .ref(prefix + "PodFailurePolicyOnExitCodesRequirement"), "A requirement on container exit codes."),
            Field("onPodConditions", 3, .array(.ref(prefix + "PodFailurePolicyOnPodConditionsPattern")), "Pod conditions any of which satisfies the rule.",
                  listType: "atomic"),
        ])

    static let podFailurePolicyOnExitCodesRequirement = Definition(
        prefix + "PodFailurePolicyOnExitCodesRequirement", "A requirement on the exit codes of a failed pod's containers.",
        fields: [
            Field("containerName", 1, .string(), "Only this container's exit code counts, when set.", presence: .pointer),
            Field("operator", 2, .string(enumValues: ["In", "NotIn"]), "In or NotIn.", required: true),
            Field("values", 3, .array(.int32), "The exit codes compared against, sorted and unique.", required: true, listType: "set"),
        ])

    static let podFailurePolicyOnPodConditionsPattern = Definition(
        prefix + "PodFailurePolicyOnPodConditionsPattern", "A pod condition a failed pod must show.",
        fields: [
            Field("type", 1, .string(), "The pod condition type.", required: true),
            Field("status", 2, .string(), "The condition status; defaults to True.", presence: .alwaysSerialized),
        ])

    static let successPolicy = Definition(
        prefix + "SuccessPolicy", "Rules that declare an indexed job succeeded before all indexes finish.",
        fields: [
            Field("rules", 1, .array(.ref(prefix + "SuccessPolicyRule")), "Alternative rules; meeting any one succeeds the job.",
                  required: true, listType: "atomic"),
        ])

    static let successPolicyRule = Definition(
        prefix + "SuccessPolicyRule", "A set of indexes and/or a count of them that must succeed.",
        fields: [
            Field("succeededIndexes", 1, .string(), "Indexes that must all succeed, as ranges like 1,3-5,7.", presence: .pointer),
            Field("succeededCount", 2, .int32, "How many of those indexes must succeed.", presence: .pointer),
        ])

    static let uncountedTerminatedPods = Definition(
        prefix + "UncountedTerminatedPods", "UIDs of finished pods not yet added to the job's counters.",
        fields: [
            Field("succeeded", 1, .array(.string()), "UIDs of succeeded pods.", listType: "set"),
            Field("failed", 2, .array(.string()), "UIDs of failed pods.", listType: "set"),
        ])

    // MARK: CronJob

    static let cronJob = Definition(
        prefix + "CronJob", "Creates jobs on a repeating schedule.",
        gvk: [GroupVersionKind("batch", "v1", "CronJob")],
        fields: KindFields.object(spec: prefix + "CronJobSpec", status: prefix + "CronJobStatus"))

    static let cronJobSpec = Definition(
        prefix + "CronJobSpec", "When a cron job runs and what job it creates.",
        fields: [
            Field("schedule", 1, .string(), "The schedule in cron format, e.g. \"*/5 * * * *\" or \"@hourly\".", required: true),
            Field("timeZone", 8, .string(), "The IANA time zone the schedule is read in; defaults to the controller's zone.", presence: .pointer),
            Field("startingDeadlineSeconds", 2, .int64, "Seconds after a missed time during which the job may still start.", presence: .pointer),
            Field("concurrencyPolicy", 3, .string(enumValues: ["Allow", "Forbid", "Replace"]), "Allow (the default), Forbid or Replace overlapping runs."),
            Field("suspend", 4, .boolean, "Whether future runs are held off; defaults to false.", presence: .pointer),
            Field("jobTemplate", 5, .ref(prefix + "JobTemplateSpec"), "The job created at each scheduled time.", required: true),
            Field("successfulJobsHistoryLimit", 6, .int32, "Finished successful jobs kept; defaults to 3.", presence: .pointer),
            Field("failedJobsHistoryLimit", 7, .int32, "Finished failed jobs kept; defaults to 1.", presence: .pointer),
        ])

    static let cronJobStatus = Definition(
        prefix + "CronJobStatus", "What the cron job controller last observed.",
        fields: [
            Field("active", 1, .array(.ref(KindFields.objectReference)), "The jobs currently running.", listType: "atomic"),
            Field("lastScheduleTime", 4, .time, "When a job was last scheduled."),
            Field("lastSuccessfulTime", 5, .time, "When a job last completed successfully."),
        ])
}
