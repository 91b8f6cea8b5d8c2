import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// How the pod step function runs containers' postStart and preStop hooks: preStop before the
/// stop signal, its time taken from the grace period, and postStart gating a container's start.
@Suite struct LifecycleHookPlanningTests {
    let planner = PodPlanner()
    let examples = PodExamples()
    var now: Date { examples.now }

    func pod(preStop: Bool = false, postStart: Bool = false, deleting: Bool = false, grace: Duration = .seconds(10)) -> PodDesign {
        var design = examples.pod(deleting: deleting)
        design.terminationGracePeriod = grace
        design.containers.append(PodDesign.Container(name: "web", image: "busybox:1"))
        let hook = LifecycleHook(action: .check(.exec(["sh", "-c", "echo hook"])))
        if preStop { design.containers[0].preStop = hook }
        if postStart { design.containers[0].postStart = hook }
        return design
    }

    func running(_ pod: PodDesign, _ names: [String] = ["app", "web"]) -> ObservedPod {
        var observed = examples.observed(sandbox: examples.sandbox(), names.map { examples.container($0, .running) })
        for name in names {
            observed.instances[name]![0].annotations = [PodLabels.fingerprint: pod.containers.first { $0.name == name }!.fingerprint]
        }
        return observed
    }

    @Test func preStopRunsBeforeTheStopSignal() {
        let design = pod(preStop: true, deleting: true)
        var observed = running(design)
        // Hooks start first; a container without one is stopped meanwhile, with the whole grace period.
        #expect(planner.next(design, observed: observed, now: now) == .runPreStopHook(id: "app-0", container: "app"))
        observed.preStopHooks["app-0"] = HookRun(startedAt: now)
        #expect(planner.next(design, observed: observed, now: now) == .stopContainer(id: "web-0", gracePeriod: .seconds(10)))
        observed.instances["web"] = [examples.container("web", .exited, exitCode: 137)]
        // While the hook runs the pod waits, at most until the grace period is up.
        let later = now.addingTimeInterval(3)
        #expect(planner.next(design, observed: observed, now: later) == .wait(until: now.addingTimeInterval(10), container: "app"))
        // The hook took 3 s of the 10: the stop signal gets the 7 left.
        observed.preStopHooks["app-0"]?.outcome = .succeeded
        #expect(planner.next(design, observed: observed, now: later) == .stopContainer(id: "app-0", gracePeriod: .seconds(7)))
        // A failed hook does not hold up the stop.
        observed.preStopHooks["app-0"]?.outcome = .failed("exit 1")
        #expect(planner.next(design, observed: observed, now: later) == .stopContainer(id: "app-0", gracePeriod: .seconds(7)))
    }

    @Test func aHookThatOverrunsTheGracePeriodLeavesTwoSeconds() {
        let design = pod(preStop: true, deleting: true, grace: .seconds(5))
        var observed = running(design, ["app"])
        observed.preStopHooks["app-0"] = HookRun(startedAt: now)
        #expect(planner.next(design, observed: observed, now: now.addingTimeInterval(5)) == .stopContainer(id: "app-0", gracePeriod: .seconds(2)))
        observed.preStopHooks["app-0"]?.outcome = .succeeded
        #expect(planner.next(design, observed: observed, now: now.addingTimeInterval(4.5)) == .stopContainer(id: "app-0", gracePeriod: .seconds(2)))
        #expect(HookRun(startedAt: now).remainingGracePeriod(of: .seconds(30), now: now.addingTimeInterval(1.5)) == .milliseconds(28_500))
    }

    @Test func noPreStopWithoutAGracePeriodOrAHook() {
        #expect(planner.next(pod(preStop: true, deleting: true, grace: .zero), observed: running(pod(), ["app"]), now: now) == .stopContainer(id: "app-0", gracePeriod: .zero))
        #expect(planner.next(pod(deleting: true), observed: running(pod(), ["app"]), now: now) == .stopContainer(id: "app-0", gracePeriod: .seconds(10)))
    }

    @Test func aChangedContainerRunsItsPreStopHookToo() {
        var design = pod(preStop: true)
        let observed = running(design)
        design.containers[0].image = "busybox:2"
        var changed = observed
        changed.images = ["busybox:1", "busybox:2"]
        #expect(planner.next(design, observed: changed, now: now) == .runPreStopHook(id: "app-0", container: "app"))
    }

    @Test func aHookTheProberRanIsNotRunAgain() {
        let design = pod(preStop: true, deleting: true)
        var observed = running(design, ["app"])
        observed.preStopHooks["app-0"] = HookRun(startedAt: now.addingTimeInterval(-4), outcome: .succeeded)
        #expect(planner.next(design, observed: observed, now: now) == .stopContainer(id: "app-0", gracePeriod: .seconds(6)))
    }

    @Test func postStartGatesTheContainersAfterIt() {
        let design = pod(postStart: true)
        var observed = running(design, ["app"])
        observed.postStartHooks["app-0"] = HookRun(startedAt: now)
        // The next container waits for the hook, and the pod is not Running yet.
        #expect(planner.next(design, observed: observed, now: now) == .idle)
        var report = PodStatusReport(pod: design, observed: observed, lastStep: .idle, hostIP: "10.0.0.1").status(now: now)
        #expect(report["phase"] == "Pending")
        #expect(report["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "ContainerCreating")
        #expect(report["containerStatuses"][0]["ready"] == false)
        #expect(report["containerStatuses"][0]["started"] == false)
        // Once it succeeded the next container is created, and the first counts as running.
        observed.postStartHooks["app-0"]?.outcome = .succeeded
        #expect(planner.next(design, observed: observed, now: now) == .createContainer(name: "web", attempt: 0))
        observed.instances["web"] = [examples.container("web", .running)]
        observed.instances["web"]![0].annotations = [PodLabels.fingerprint: design.containers[1].fingerprint]
        report = PodStatusReport(pod: design, observed: observed, lastStep: .idle, hostIP: "10.0.0.1").status(now: now)
        #expect(report["phase"] == "Running")
        #expect(report["containerStatuses"][0]["ready"] == true)
        #expect(!report["containerStatuses"][0][path: ["state", "running"]].isNull)
    }

    @Test func aFailedPostStartStopsTheContainer() {
        let design = pod(postStart: true)
        var observed = running(design, ["app"])
        observed.postStartHooks["app-0"] = HookRun(startedAt: now, outcome: .failed("exit 1"))
        #expect(planner.next(design, observed: observed, now: now) == .stopContainer(id: "app-0", gracePeriod: .seconds(10)))
        // Once stopped it restarts after its back-off, as any container that exited.
        observed.instances["app"] = [examples.container("app", .exited, exitCode: 137, finishedAgo: 11)]
        #expect(planner.next(design, observed: observed, now: now) == .createContainer(name: "app", attempt: 1))
    }

    @Test func hooksAreReadFromTheContainerSpec() throws {
        let pod: JSON = [
            "metadata": ["name": "web", "uid": "u1"],
            "spec": ["containers": [[
                "name": "app", "image": "busybox:1", "ports": [["name": "http", "containerPort": 8080]],
                "lifecycle": [
                    "postStart": ["exec": ["command": ["touch", "/ready"]]],
                    "preStop": ["httpGet": ["path": "/quit", "port": "http"]],
                ],
            ], [
                "name": "side", "image": "busybox:1",
                "lifecycle": ["preStop": ["sleep": ["seconds": 3]], "postStart": ["tcpSocket": ["port": 1]]],
            ]]],
        ]
        let design = try PodDesign(pod: pod)
        #expect(design.containers[0].postStart == LifecycleHook(action: .check(.exec(["touch", "/ready"]))))
        #expect(design.containers[0].preStop == LifecycleHook(action: .check(.httpGet(scheme: "http", host: nil, port: 8080, path: "/quit", headers: []))))
        #expect(design.containers[1].preStop == LifecycleHook(action: .sleep(.seconds(3))))
        #expect(design.containers[1].postStart == LifecycleHook(action: .unsupported("tcpSocket")))
    }
}
