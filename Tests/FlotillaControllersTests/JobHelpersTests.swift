import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite("Job helpers")
struct JobHelpersTests {
    @Test(arguments: [
        ([Int](), ""),
        ([0], "0"),
        ([0, 1, 2, 5], "0-2,5"),
        ([7, 1, 3, 2, 8, 2], "1-3,7-8"),
        ([4, 6, 8], "4,6,8"),
    ])
    func completedIndexesAreCompressedToRanges(indexes: [Int], text: String) {
        #expect(CompletionIndexes.format(indexes) == text)
        #expect(CompletionIndexes.parse(text, limit: 100) == Set(indexes))
    }

    @Test func parsingDropsMalformedPartsAndIndexesPastCompletions() {
        #expect(CompletionIndexes.parse("0-2,x,4-3,5,7-9", limit: 8) == [0, 1, 2, 5, 7])
        #expect(CompletionIndexes.parse("9-12", limit: 8) == [])
    }

    @Test func backoffDoublesFromTenSecondsUpToSixMinutes() {
        let delays = (0...8).map { JobBackoff.delay(failures: $0) }
        #expect(delays == [.zero, .seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(160), .seconds(320), .seconds(360), .seconds(360)])
    }

    private func pod(_ phase: String, finished: String) -> JSON {
        [
            "metadata": ["creationTimestamp": "2026-01-01T00:00:00Z"],
            "status": ["phase": .string(phase), "containerStatuses": [["state": ["terminated": ["finishedAt": .string(finished)]]]]],
        ]
    }

    @Test func backoffCountsFailuresSinceTheLastSuccessFromTheLastFailure() {
        let now = Timestamp.parse("2026-01-01T00:01:00Z")!
        // Two failures after the success: 20 s from the last one (00:00:50) leaves 10 s.
        let pods = [
            pod("Failed", finished: "2026-01-01T00:00:05Z"),
            pod("Succeeded", finished: "2026-01-01T00:00:10Z"),
            pod("Failed", finished: "2026-01-01T00:00:30Z"),
            pod("Failed", finished: "2026-01-01T00:00:50Z"),
        ]
        #expect(JobBackoff.remaining(pods: pods, now: now) == .seconds(10))
        #expect(JobBackoff.remaining(pods: Array(pods.prefix(2)), now: now) == .zero)
        #expect(JobBackoff.remaining(pods: pods, now: now.addingTimeInterval(30)) == .zero)
    }

    @Test func indexedPodsCarryTheirIndexHostnameAndVariable() {
        let job: JSON = [
            "metadata": ["name": "render", "namespace": "ns", "uid": "u1"],
            "spec": [
                "template": [
                    "metadata": ["labels": ["batch.kubernetes.io/job-name": "render"]],
                    "spec": ["containers": [["name": "c", "image": "busybox", "env": [["name": "A", "value": "1"]]]]],
                ]
            ],
        ]
        let pod = JobPods.make(job: job, ownerReference: ["kind": "Job", "uid": "u1", "controller": true], index: 3)
        #expect(pod["metadata"]["generateName"] == "render-3-")
        #expect(pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "3")
        #expect(pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "render")
        #expect(JobPods.index(of: pod) == 3)
        #expect(pod["spec"]["hostname"] == "render-3")
        let env = pod["spec"]["containers"][0]["env"].array ?? []
        #expect(env.map { $0["name"].string ?? "" } == ["A", "JOB_COMPLETION_INDEX"])
        #expect(env[1]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        let plain = JobPods.make(job: job, ownerReference: [:], index: nil)
        #expect(plain["metadata"]["generateName"] == "render-" && plain["spec"]["hostname"].isNull)
        #expect(plain["metadata"]["annotations"].isNull)
    }

    private func job(_ name: String, _ condition: String?) -> JSON {
        var job: JSON = ["metadata": ["name": .string(name)]]
        if let condition { job["status"] = ["conditions": [["type": .string(condition), "status": "True"]]] }
        return job
    }

    @Test func dependenciesWaitForCompletionAndFailWithAFailedJob() {
        let jobs = ["a": job("a", "Complete"), "b": job("b", nil), "c": job("c", "Failed")]
        func verdict(_ after: String) -> JobDependencies.Verdict {
            JobDependencies.verdict(of: ["metadata": ["annotations": ["flotilla.io/after": .string(after)]]], lookup: { jobs[$0] })
        }
        #expect(verdict("a") == .met)
        #expect(verdict(" a , b,missing,b ") == .waiting(["b", "missing"]))
        #expect(verdict("a,b,c") == .failed(["c"]))
        #expect(verdict("") == .met)
    }

    @Test func aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        let t0 = Timestamp.parse("2026-01-01T00:00:00Z")!
        let first = JobConditions.setting([], type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: t0)
        let same = JobConditions.setting(first, type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", now: t0.addingTimeInterval(60))
        #expect(same == first)
        let resumed = JobConditions.setting(first, type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed", now: t0.addingTimeInterval(60))
        #expect(resumed.count == 1 && resumed[0]["lastTransitionTime"] == "2026-01-01T00:01:00Z" && resumed[0]["status"] == "False")
    }
}
