import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// Pod statuses in Kubernetes' words, from what the runtime holds.
@Suite struct PodStatusReportTests {
    let planner = PodExamples()
    let now = Date(timeIntervalSince1970: 1_000_000)

    func report(_ pod: PodDesign, _ observed: ObservedPod, step: PodStep = .idle, failures: PodStatusReport.Failures = [:]) -> JSON {
        PodStatusReport(pod: pod, observed: observed, lastStep: step, failures: failures, hostIP: "192.0.2.10").status(now: now)
    }

    func condition(_ status: JSON, _ type: String) -> JSON {
        status["conditions"].array?.first { $0["type"] == .string(type) }?["status"] ?? .null
    }

    @Test func pendingWhileTheSandboxAndContainersAreCreated() {
        let pod = planner.pod(initContainers: ["setup"])
        let status = report(pod, planner.observed())
        #expect(status["phase"] == "Pending")
        #expect(status["podIP"].isNull)
        #expect(status["hostIP"] == "192.0.2.10")
        #expect(status["initContainerStatuses"][0][path: ["state", "waiting", "reason"]] == "ContainerCreating")
        #expect(status["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "PodInitializing")
        #expect(condition(status, "Initialized") == "False")
        #expect(condition(status, "PodScheduled") == "True")
    }

    @Test func runningWithItsAddressRestartsAndPreviousRun() {
        let pod = planner.pod(initContainers: ["setup"])
        let observed = planner.observed(sandbox: planner.sandbox(), [
            planner.container("setup", .exited, exitCode: 0),
            planner.container("app", .exited, attempt: 0, exitCode: 137),
            planner.container("app", .running, attempt: 1),
        ])
        let status = report(pod, observed)
        #expect(status["phase"] == "Running")
        #expect(status["podIP"] == "10.244.0.2")
        #expect(status["podIPs"] == [["ip": "10.244.0.2"]])
        let app = status["containerStatuses"][0]
        #expect(app["restartCount"] == 1)
        #expect(app["ready"] == true)
        #expect(app["containerID"] == "containerd://app-1")
        #expect(!app[path: ["state", "running", "startedAt"]].isNull)
        #expect(app[path: ["lastState", "terminated", "exitCode"]] == 137)
        #expect(status["initContainerStatuses"][0][path: ["state", "terminated", "reason"]] == "Completed")
        #expect(condition(status, "Ready") == "True")
        #expect(condition(status, "Initialized") == "True")
    }

    @Test func crashLoopBackOffAndImagePullErrors() {
        let pod = planner.pod()
        let crashed = planner.observed(sandbox: planner.sandbox(), [planner.container("app", .exited, attempt: 2, exitCode: 1)])
        let waiting = report(pod, crashed, step: .wait(until: now.addingTimeInterval(40), container: "app"))["containerStatuses"][0]
        #expect(waiting[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect(waiting[path: ["state", "waiting", "message"]] == "back-off 40s restarting failed container=app pod=web_default(u1)")
        #expect(waiting[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(waiting["restartCount"] == 2)

        let failures: PodStatusReport.Failures = ["app": ("ErrImagePull", "not found")]
        let pulling = report(pod, planner.observed(sandbox: planner.sandbox()), failures: failures)
        #expect(pulling["phase"] == "Pending")
        #expect(pulling["containerStatuses"][0][path: ["state", "waiting"]] == ["reason": "ErrImagePull", "message": "not found"])
    }

    @Test func finishedPodsSucceedOrFail() {
        var oom = planner.container("app", .exited, exitCode: 137)
        oom.reason = "OOMKilled"
        let failed = report(planner.pod(restart: .never), planner.observed(sandbox: planner.sandbox(), [oom]))
        #expect(failed["phase"] == "Failed")
        #expect(failed["containerStatuses"][0][path: ["state", "terminated", "reason"]] == "OOMKilled")
        let succeeded = report(planner.pod(restart: .onFailure), planner.observed(sandbox: planner.sandbox("s1", .notReady), [planner.container("app", .exited, exitCode: 0)]))
        #expect(succeeded["phase"] == "Succeeded")
        #expect(succeeded["podIP"].isNull)
    }

    @Test func keepsTransitionTimesOfConditionsThatDidNotChange() {
        let pod = planner.pod()
        let observed = planner.observed(sandbox: planner.sandbox(), [planner.container("app", .running)])
        let earlier: JSON = [
            "startTime": "2026-01-01T00:00:00Z",
            "conditions": [
                ["type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:05Z"],
                ["type": "Initialized", "status": "False", "lastTransitionTime": "2026-01-01T00:00:01Z"],
            ],
        ]
        let status = PodStatusReport(pod: pod, observed: observed, lastStep: .idle, hostIP: "192.0.2.10").status(previous: earlier, now: now)
        #expect(status["startTime"] == "2026-01-01T00:00:00Z")
        let ready = status["conditions"].array?.first { $0["type"] == "Ready" }
        #expect(ready?["lastTransitionTime"] == "2026-01-01T00:00:05Z")
        let initialized = status["conditions"].array?.first { $0["type"] == "Initialized" }
        #expect(initialized?["lastTransitionTime"] == .string(Timestamp.format(now)))
    }
}
