import FlotillaCore
import Testing

@testable import FlotillaAPI

/// Jobs and cron jobs the batch tests start from.
enum BatchFixtures {
    static let uid = "0d9a6b57-3f1c-4c1e-9d1e-2b7f5c4a8e10"

    static var podTemplate: JSON {
        ["spec": ["restartPolicy": "Never", "containers": [["name": "pi", "image": "perl:5.34"]]]]
    }

    static func job(spec extra: JSON = [:], uid: String? = uid) -> JSON {
        var spec: JSON = ["template": podTemplate]
        for (k, v) in extra.object ?? [:] { spec[k] = v }
        var meta: JSON = ["name": "pi", "namespace": "default"]
        if let uid { meta["uid"] = .string(uid) }
        return ["apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec]
    }

    static func cronJob(schedule: String = "*/5 * * * *", spec extra: JSON = [:]) -> JSON {
        var spec: JSON = ["schedule": .string(schedule), "jobTemplate": ["spec": ["template": podTemplate]]]
        for (k, v) in extra.object ?? [:] { spec[k] = v }
        return ["apiVersion": "batch/v1", "kind": "CronJob", "metadata": ["name": "hello", "namespace": "default"], "spec": spec]
    }
}

@Suite struct BatchDefaultsTests {
    typealias F = WorkloadFixtures

    @Test func jobDefaults() {
        let job = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job())
        let spec = job["spec"]
        #expect(spec["parallelism"] == 1)
        #expect(spec["completions"] == 1)
        #expect(spec["backoffLimit"] == 6)
        #expect(spec["completionMode"] == "NonIndexed")
        #expect(spec["suspend"] == false)
        #expect(spec["manualSelector"] == false)
        #expect(spec["podReplacementPolicy"] == "TerminatingOrFailed")
        #expect(spec[path: ["template", "spec", "restartPolicy"]] == "Never")
    }

    @Test func parallelismAloneLeavesCompletionsUnset() {
        let job = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job(spec: ["parallelism": 4]))
        #expect(job[path: ["spec", "parallelism"]] == 4)
        #expect(job[path: ["spec", "completions"]].isNull)
        let counted = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job(spec: ["completions": 5]))
        #expect(counted[path: ["spec", "completions"]] == 5)
        #expect(counted[path: ["spec", "parallelism"]] == 1)
    }

    @Test func backoffLimitPerIndexRaisesTheDefaultLimit() {
        let job = F.defaulted(
            BatchV1Resources.jobs, BatchFixtures.job(spec: ["completionMode": "Indexed", "completions": 3, "backoffLimitPerIndex": 1]))
        #expect(job[path: ["spec", "backoffLimit"]] == .int(Int64(Int32.max)))
    }

    @Test func failurePolicyDefaults() {
        let policy: JSON = ["rules": [["action": "Ignore", "onPodConditions": [["type": "DisruptionTarget"]]]]]
        let job = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job(spec: ["podFailurePolicy": policy]))
        #expect(job[path: ["spec", "podReplacementPolicy"]] == "Failed")
        #expect(job[path: ["spec", "podFailurePolicy", "rules"]][0]["onPodConditions"][0]["status"] == "True")
    }

    @Test func generatedSelectorAndLabels() {
        let job = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job())
        let uid = JSON.string(BatchFixtures.uid)
        #expect(job[path: ["spec", "selector"]] == ["matchLabels": ["batch.kubernetes.io/controller-uid": uid]])
        let labels = job[path: ["spec", "template", "metadata", "labels"]]
        #expect(labels["batch.kubernetes.io/controller-uid"] == uid)
        #expect(labels["controller-uid"] == uid)
        #expect(labels["batch.kubernetes.io/job-name"] == "pi")
        #expect(labels["job-name"] == "pi")
        #expect(job[path: ["metadata", "labels"]] == labels)
        #expect(F.fields(BatchV1Resources.jobs, job).isEmpty)
    }

    @Test func userLabelsStayOnTheJob() {
        var job = BatchFixtures.job()
        job[path: ["metadata", "labels"]] = ["team": "a"]
        job[path: ["spec", "template", "metadata", "labels"]] = ["app": "pi"]
        let d = F.defaulted(BatchV1Resources.jobs, job)
        #expect(d[path: ["metadata", "labels"]] == ["team": "a"])
        #expect(d[path: ["spec", "template", "metadata", "labels", "app"]] == "pi")
    }

    @Test func manualSelectorIsLeftAlone() {
        let job = F.defaulted(
            BatchV1Resources.jobs,
            BatchFixtures.job(spec: ["manualSelector": true, "selector": ["matchLabels": ["app": "pi"]]]))
        #expect(job[path: ["spec", "selector"]] == ["matchLabels": ["app": "pi"]])
        #expect(job[path: ["spec", "template", "metadata", "labels"]].isNull)
    }

    @Test func noUIDNoGeneratedSelector() {
        let job = F.defaulted(BatchV1Resources.jobs, BatchFixtures.job(uid: nil))
        #expect(job[path: ["spec", "selector"]].isNull)
    }

    @Test func cronJobDefaults() {
        let cj = F.defaulted(BatchV1Resources.cronJobs, BatchFixtures.cronJob())
        #expect(cj[path: ["spec", "concurrencyPolicy"]] == "Allow")
        #expect(cj[path: ["spec", "suspend"]] == false)
        #expect(cj[path: ["spec", "successfulJobsHistoryLimit"]] == 3)
        #expect(cj[path: ["spec", "failedJobsHistoryLimit"]] == 1)
        #expect(cj[path: ["spec", "jobTemplate", "spec", "backoffLimit"]].isNull)
        #expect(cj[path: ["spec", "jobTemplate", "spec", "template", "spec", "dnsPolicy"]] == "ClusterFirst")
    }
}
