import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite struct BatchValidationTests {
    typealias F = WorkloadFixtures

    private func job(_ spec: JSON = [:]) -> JSON {
        F.defaulted(BatchV1Resources.jobs, BatchFixtures.job(spec: spec))
    }

    private func cronJob(_ schedule: String = "*/5 * * * *", _ spec: JSON = [:]) -> JSON {
        F.defaulted(BatchV1Resources.cronJobs, BatchFixtures.cronJob(schedule: schedule, spec: spec))
    }

    @Test(arguments: [
        (["parallelism": -1] as JSON, "spec.parallelism"),
        (["completions": -1], "spec.completions"),
        (["backoffLimit": -1], "spec.backoffLimit"),
        (["activeDeadlineSeconds": -5], "spec.activeDeadlineSeconds"),
        (["ttlSecondsAfterFinished": -5], "spec.ttlSecondsAfterFinished"),
        (["completionMode": "Sometimes"], "spec.completionMode"),
        (["completionMode": "Indexed", "completions": .null, "parallelism": 2], "spec.completions"),
        (["backoffLimitPerIndex": 1], "spec.backoffLimitPerIndex"),
        (["maxFailedIndexes": 1], "spec.backoffLimitPerIndex"),
        (["podReplacementPolicy": "Never"], "spec.podReplacementPolicy"),
        (["podFailurePolicy": ["rules": [["action": "Explode", "onExitCodes": ["operator": "In", "values": [1]]]]]],
         "spec.podFailurePolicy.rules[0].action"),
        (["podFailurePolicy": ["rules": [["action": "FailJob", "onExitCodes": ["operator": "In", "values": [0]]]]]],
         "spec.podFailurePolicy.rules[0].onExitCodes.values[0]"),
        (["podFailurePolicy": ["rules": [["action": "FailJob"]]]], "spec.podFailurePolicy.rules[0]"),
    ] as [(JSON, String)])
    func jobRules(spec: JSON, field: String) {
        #expect(F.fields(BatchV1Resources.jobs, job(spec)).contains(field))
    }

    @Test func restartPolicyMustBeOnFailureOrNever() throws {
        var j = BatchFixtures.job()
        j[path: ["spec", "template", "spec", "restartPolicy"]] = "Always"
        let cause = try #require(BatchV1Resources.jobs.validator?(F.defaulted(BatchV1Resources.jobs, j), nil).first)
        #expect(cause.field == "spec.template.spec.restartPolicy")
        #expect(cause.message == "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"")
    }

    @Test func restartPolicyLeftOutIsRejected() {
        var j = BatchFixtures.job()
        j[path: ["spec", "template", "spec", "restartPolicy"]] = .null
        #expect(F.fields(BatchV1Resources.jobs, F.defaulted(BatchV1Resources.jobs, j)) == ["spec.template.spec.restartPolicy"])
    }

    @Test func failurePolicyNeedsRestartPolicyNever() {
        var j = job(["podFailurePolicy": ["rules": [["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget"]]]]]])
        #expect(F.fields(BatchV1Resources.jobs, j).isEmpty)
        j[path: ["spec", "template", "spec", "restartPolicy"]] = "OnFailure"
        #expect(F.fields(BatchV1Resources.jobs, j) == ["spec.template.spec.restartPolicy"])
    }

    @Test func manualSelectorMustMatchTemplate() {
        var j = BatchFixtures.job(spec: ["manualSelector": true, "selector": ["matchLabels": ["app": "pi"]]])
        #expect(F.fields(BatchV1Resources.jobs, F.defaulted(BatchV1Resources.jobs, j)) == ["spec.template.metadata.labels"])
        j[path: ["spec", "template", "metadata", "labels"]] = ["app": "pi"]
        #expect(F.fields(BatchV1Resources.jobs, F.defaulted(BatchV1Resources.jobs, j)).isEmpty)
    }

    @Test func generatedSelectorMustCarryThisJobsUID() {
        var j = job()
        j[path: ["spec", "template", "metadata", "labels", "batch.kubernetes.io/controller-uid"]] = "other"
        #expect(F.fields(BatchV1Resources.jobs, j).contains("spec.template.metadata.labels[batch.kubernetes.io/controller-uid]"))
    }

    @Test func jobUpdates() {
        let old = job()
        var changed = old
        changed[path: ["spec", "selector", "matchLabels", "job-name"]] = "pi"
        changed[path: ["spec", "completions"]] = 3
        changed[path: ["spec", "template", "spec", "containers"]] = [["name": "pi", "image": "perl:5.36"]]
        #expect(Set(F.fields(BatchV1Resources.jobs, changed, old: old)) == ["spec.selector", "spec.completions", "spec.template"])
        var resized = old
        resized[path: ["spec", "parallelism"]] = 5
        resized[path: ["spec", "activeDeadlineSeconds"]] = 100
        #expect(F.fields(BatchV1Resources.jobs, resized, old: old).isEmpty)
    }

    @Test func suspendedJobMayChangeSchedulingDirectives() {
        var old = job(["suspend": true])
        var new = old
        new[path: ["spec", "template", "spec", "nodeSelector"]] = ["zone": "a"]
        #expect(F.fields(BatchV1Resources.jobs, new, old: old).isEmpty)
        old[path: ["status", "startTime"]] = "2025-01-01T00:00:00Z"
        #expect(F.fields(BatchV1Resources.jobs, new, old: old) == ["spec.template"])
    }

    @Test func validCronJobPasses() {
        #expect(F.fields(BatchV1Resources.cronJobs, cronJob()).isEmpty)
        #expect(F.fields(BatchV1Resources.cronJobs, cronJob("@hourly", ["timeZone": "Europe/Berlin"])).isEmpty)
    }

    @Test(arguments: [
        ("* * * *", [:] as JSON, "spec.schedule"),
        ("61 * * * *", [:], "spec.schedule"),
        ("@fortnightly", [:], "spec.schedule"),
        ("TZ=UTC * * * * *", [:], "spec.schedule"),
        ("* * * * *", ["timeZone": "Mars/Olympus"], "spec.timeZone"),
        ("* * * * *", ["timeZone": ""], "spec.timeZone"),
        ("* * * * *", ["timeZone": "Local"], "spec.timeZone"),
        ("* * * * *", ["concurrencyPolicy": "Sometimes"], "spec.concurrencyPolicy"),
        ("* * * * *", ["startingDeadlineSeconds": -1], "spec.startingDeadlineSeconds"),
        ("* * * * *", ["successfulJobsHistoryLimit": -1], "spec.successfulJobsHistoryLimit"),
        ("* * * * *", ["failedJobsHistoryLimit": -1], "spec.failedJobsHistoryLimit"),
    ] as [(String, JSON, String)])
    func cronJobRules(schedule: String, spec: JSON, field: String) {
        #expect(F.fields(BatchV1Resources.cronJobs, cronJob(schedule, spec)).contains(field))
    }

    @Test func badScheduleMessage() throws {
        let cause = try #require(BatchV1Resources.cronJobs.validator?(cronJob("* * * *"), nil).first)
        #expect(cause.message == "Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]")
    }

    @Test func emptyScheduleIsRequired() {
        var cj = cronJob()
        cj[path: ["spec", "schedule"]] = ""
        #expect(F.fields(BatchV1Resources.cronJobs, cj) == ["spec.schedule"])
    }

    @Test func cronJobTemplateRules() {
        var cj = cronJob()
        cj[path: ["spec", "jobTemplate", "spec", "selector"]] = ["matchLabels": ["a": "b"]]
        cj[path: ["spec", "jobTemplate", "spec", "manualSelector"]] = true
        cj[path: ["spec", "jobTemplate", "spec", "template", "spec", "restartPolicy"]] = "Always"
        #expect(Set(F.fields(BatchV1Resources.cronJobs, cj)) == [
            "spec.jobTemplate.spec.selector", "spec.jobTemplate.spec.manualSelector", "spec.jobTemplate.spec.template.spec.restartPolicy",
        ])
    }

    @Test func cronJobNameLimit() {
        var cj = cronJob()
        cj[path: ["metadata", "name"]] = .string(String(repeating: "a", count: 53))
        #expect(F.fields(BatchV1Resources.cronJobs, cj) == ["metadata.name"])
    }
}
