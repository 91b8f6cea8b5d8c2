import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// The pod step function, one transition at a time, over observed runtime states.
@Suite struct PodPlannerTests {
    let planner = PodPlanner()
    let examples = PodExamples()
    var now: Date { examples.now }

    func pod(restart: PodDesign.RestartPolicy = .always, initContainers: [String] = [], deleting: Bool = false) -> PodDesign {
        examples.pod(restart: restart, initContainers: initContainers, deleting: deleting)
    }

    func sandbox(_ id: String = "s1", _ state: SandboxState = .ready, attempt: UInt32 = 0) -> SandboxStatus {
        examples.sandbox(id, state, attempt: attempt)
    }

    func container(
        _ name: String, _ state: ContainerState, attempt: UInt32 = 0, exitCode: Int32? = nil, ranFor seconds: Double = 1,
        finishedAgo: Double = 0
    ) -> ContainerStatus {
        examples.container(name, state, attempt: attempt, exitCode: exitCode, ranFor: seconds, finishedAgo: finishedAgo)
    }

    func observed(sandbox: SandboxStatus? = nil, _ containers: [ContainerStatus] = [], images: Set<String> = ["busybox:1"]) -> ObservedPod {
        examples.observed(sandbox: sandbox, containers, images: images)
    }

    @Test func startsAPodOneStepAtATime() {
        #expect(planner.next(pod(), observed: observed(images: []), now: now) == .runSandbox(attempt: 0))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), images: []), now: now) == .pullImage("busybox:1"))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox()), now: now) == .createContainer(name: "app", attempt: 0))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [container("app", .created)]), now: now) == .startContainer(id: "app-0"))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [container("app", .running)]), now: now) == .idle)
    }

    @Test func pullPolicyAlwaysPullsBeforeEachCreation() {
        var design = pod()
        design.containers[0].pullPolicy = .always
        #expect(planner.next(design, observed: observed(sandbox: sandbox()), now: now) == .pullImage("busybox:1"))
        var pulled = observed(sandbox: sandbox())
        pulled.freshlyPulled = ["busybox:1"]
        #expect(planner.next(design, observed: pulled, now: now) == .createContainer(name: "app", attempt: 0))
    }

    @Test func initContainersRunInOrderToSuccess() {
        let design = pod(initContainers: ["one", "two"])
        #expect(planner.next(design, observed: observed(sandbox: sandbox()), now: now) == .createContainer(name: "one", attempt: 0))
        #expect(planner.next(design, observed: observed(sandbox: sandbox(), [container("one", .running)]), now: now) == .idle)
        let oneDone = container("one", .exited, exitCode: 0)
        #expect(planner.next(design, observed: observed(sandbox: sandbox(), [oneDone]), now: now) == .createContainer(name: "two", attempt: 0))
        let twoDone = container("two", .exited, exitCode: 0)
        #expect(planner.next(design, observed: observed(sandbox: sandbox(), [oneDone, twoDone]), now: now) == .createContainer(name: "app", attempt: 0))
    }

    @Test func crashingContainersRestartAfterABackOff() {
        // Restart 0 → 10 s, restart 3 → 80 s, capped at 5 min; a long run starts over at 10 s.
        let crashed = container("app", .exited, exitCode: 1, finishedAgo: 5)
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [crashed]), now: now) == .wait(until: now.addingTimeInterval(5), container: "app"))
        let crashedLongAgo = container("app", .exited, exitCode: 1, finishedAgo: 11)
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [crashedLongAgo]), now: now) == .createContainer(name: "app", attempt: 1))
        let fourth = container("app", .exited, attempt: 3, exitCode: 1, finishedAgo: 20)
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [fourth]), now: now) == .wait(until: now.addingTimeInterval(60), container: "app"))
        let many = container("app", .exited, attempt: 9, exitCode: 1, finishedAgo: 0)
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [many]), now: now) == .wait(until: now.addingTimeInterval(300), container: "app"))
        let longRun = container("app", .exited, attempt: 9, exitCode: 1, ranFor: 700, finishedAgo: 0)
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [longRun]), now: now) == .wait(until: now.addingTimeInterval(10), container: "app"))
    }

    @Test func restartPolicies() {
        let succeeded = container("app", .exited, exitCode: 0, finishedAgo: 600)
        let failed = container("app", .exited, exitCode: 2, finishedAgo: 600)
        #expect(planner.next(pod(restart: .always), observed: observed(sandbox: sandbox(), [succeeded]), now: now) == .createContainer(name: "app", attempt: 1))
        #expect(planner.next(pod(restart: .onFailure), observed: observed(sandbox: sandbox(), [failed]), now: now) == .createContainer(name: "app", attempt: 1))
        // Finished pods keep their containers but stop their sandbox, then rest.
        #expect(planner.next(pod(restart: .onFailure), observed: observed(sandbox: sandbox(), [succeeded]), now: now) == .stopSandbox(id: "s1"))
        #expect(planner.next(pod(restart: .never), observed: observed(sandbox: sandbox(), [failed]), now: now) == .stopSandbox(id: "s1"))
        #expect(planner.next(pod(restart: .never), observed: observed(sandbox: sandbox("s1", .notReady), [failed]), now: now) == .idle)
        // An init container failing under Never fails the pod.
        let initFailed = container("setup", .exited, exitCode: 1)
        #expect(planner.next(pod(restart: .never, initContainers: ["setup"]), observed: observed(sandbox: sandbox(), [initFailed]), now: now) == .stopSandbox(id: "s1"))
    }

    @Test func aSandboxThatIsNoLongerReadyIsReplaced() {
        let old = sandbox("s1", .notReady, attempt: 2)
        #expect(planner.next(pod(), observed: observed(sandbox: old, [container("app", .exited, exitCode: 137)]), now: now) == .runSandbox(attempt: 3))
        var replaced = observed(sandbox: sandbox("s2", attempt: 3))
        replaced.staleSandboxes = [old.summary]
        replaced.strayContainers = ["app-0"]
        #expect(planner.next(pod(), observed: replaced, now: now) == .removeSandbox(id: "s1"))
        replaced.staleSandboxes = []
        #expect(planner.next(pod(), observed: replaced, now: now) == .removeContainer(id: "app-0"))
    }

    @Test func keepsThePreviousInstanceOnlyForItsLogs() {
        let instances = [container("app", .exited, attempt: 0), container("app", .exited, attempt: 1), container("app", .running, attempt: 2)]
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), instances), now: now) == .removeContainer(id: "app-0"))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), Array(instances.dropFirst())), now: now) == .idle)
    }

    @Test func deletionStopsThenRemovesEverything() {
        let deleting = pod(deleting: true)
        let running = [container("app", .running)]
        #expect(planner.next(deleting, observed: observed(sandbox: sandbox(), running), now: now) == .stopContainer(id: "app-0", gracePeriod: .seconds(5)))
        let exited = [container("app", .exited, exitCode: 143)]
        #expect(planner.next(deleting, observed: observed(sandbox: sandbox(), exited), now: now) == .stopSandbox(id: "s1"))
        #expect(planner.next(deleting, observed: observed(sandbox: sandbox("s1", .notReady), exited), now: now) == .removeContainer(id: "app-0"))
        #expect(planner.next(deleting, observed: observed(sandbox: sandbox("s1", .notReady)), now: now) == .removeSandbox(id: "s1"))
        var withDirectory = observed()
        withDirectory.hasHostState = true
        #expect(planner.next(deleting, observed: withDirectory, now: now) == .removeHostState)
        #expect(planner.next(deleting, observed: observed(), now: now) == .idle)
    }

    @Test func readsPodObjects() throws {
        let json: JSON = [
            "metadata": ["name": "web", "namespace": "shop", "uid": "abc", "deletionTimestamp": "2026-01-01T00:00:00Z"],
            "spec": [
                "restartPolicy": "OnFailure", "terminationGracePeriodSeconds": 3,
                "initContainers": [["name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "true"]]],
                "volumes": [["name": "scratch", "emptyDir": [:]], ["name": "logs", "hostPath": ["path": "/var/log"]], ["name": "cfg", "configMap": ["name": "c"]]],
                "containers": [[
                    "name": "app", "image": "127.0.0.1:5000/busybox", "args": ["httpd", "-f"], "workingDir": "/srv",
                    "volumeMounts": [["name": "scratch", "mountPath": "/tmp"], ["name": "logs", "mountPath": "/logs", "readOnly": true, "subPath": "app"]],
                    "ports": [["containerPort": 80, "hostPort": 8080], ["containerPort": 53, "protocol": "UDP"]],
                    "env": [["name": "A", "value": "1"], ["name": "B", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]],
                    "resources": ["requests": ["cpu": "250m"], "limits": ["cpu": "1", "memory": "64Mi"]],
                ]],
            ],
        ]
        let design = try PodDesign(pod: json)
        #expect(design.uid == "abc")
        #expect(design.namespace == "shop")
        #expect(design.deleting)
        #expect(design.restartPolicy == .onFailure)
        #expect(design.terminationGracePeriod == .seconds(3))
        #expect(design.initContainers.map(\.command) == [["sh", "-c", "true"]])
        #expect(design.initContainers[0].pullPolicy == .ifNotPresent)
        let app = try #require(design.containers.first)
        #expect(app.pullPolicy == .always)
        #expect(app.args == ["httpd", "-f"])
        #expect(app.workingDirectory == "/srv")
        #expect(app.environment == [.init("A", "1"), .init("B", "web")])
        #expect(app.resources == ContainerResources(cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryLimitBytes: 64 << 20))
        #expect(design.volumes == [.init(name: "scratch", source: .emptyDir(inMemory: false)), .init(name: "logs", source: .hostPath("/var/log")), .init(name: "cfg", source: .files(kind: "configMap", files: [], inMemory: false))])
        #expect(app.volumeMounts == [.init(volume: "scratch", mountPath: "/tmp"), .init(volume: "logs", mountPath: "/logs", readOnly: true, subPath: "app")])
        #expect(design.hostPorts == [.init(containerPort: 80, hostPort: 8080)])
        #expect(throws: FlotillaError.self) { try PodDesign(pod: ["metadata": ["name": "x", "uid": "u"], "spec": ["containers": [["name": "c"]]]]) }
    }

    @Test func aContainerWhoseSpecChangedIsReplaced() {
        var design = pod()
        var running = container("app", .running)
        running.annotations = [PodLabels.fingerprint: design.containers[0].fingerprint]
        #expect(planner.next(design, observed: observed(sandbox: sandbox(), [running]), now: now) == .idle)
        design.containers[0].image = "busybox:2"
        #expect(design.containers[0].fingerprint != running.annotations[PodLabels.fingerprint])
        let changed = observed(sandbox: sandbox(), [running], images: ["busybox:2"])
        #expect(planner.next(design, observed: changed, now: now) == .stopContainer(id: "app-0", gracePeriod: .seconds(5)))
        var stopped = container("app", .exited, exitCode: 137)
        stopped.annotations = running.annotations
        #expect(planner.next(design, observed: observed(sandbox: sandbox(), [stopped], images: ["busybox:2"]), now: now) == .createContainer(name: "app", attempt: 1))
    }

    /// An instance that exited without having run, after its start call was cut off: the runtime
    /// gave the start up with the call.
    func lostStart(_ name: String, attempt: UInt32 = 0) -> ContainerStatus {
        var instance = container(name, .exited, attempt: attempt, exitCode: 128)
        instance.startedAt = nil
        instance.reason = "StartError"
        instance.message = "failed to create containerd task: failed to create shim task: context canceled: unknown"
        return instance
    }

    @Test func aStartGivenUpWithItsCutOffCallIsMadeAgainAsTheSameAttempt() {
        for restart in [PodDesign.RestartPolicy.always, .onFailure, .never] {
            var cutOff = observed(sandbox: sandbox(), [lostStart("app")])
            cutOff.cutOffStarts = ["app-0"]
            #expect(planner.next(pod(restart: restart), observed: cutOff, now: now) == .removeContainer(id: "app-0"))
            let status = PodStatusReport(pod: pod(restart: restart), observed: cutOff, lastStep: .removeContainer(id: "app-0"), hostIP: "10.0.0.1")
                .status(now: now)
            #expect(status["phase"] == "Pending")
            #expect(status["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "ContainerCreating")
            #expect(status["containerStatuses"][0]["restartCount"] == 0)
        }
        // Removed, the same attempt is made again; after an earlier crash, as that crash's restart.
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox()), now: now) == .createContainer(name: "app", attempt: 0))
        let crashed = container("app", .exited, exitCode: 1, finishedAgo: 60)
        var second = observed(sandbox: sandbox(), [crashed, lostStart("app", attempt: 1)])
        second.cutOffStarts = ["app-1"]
        #expect(planner.next(pod(), observed: second, now: now) == .removeContainer(id: "app-1"))
        #expect(planner.next(pod(), observed: observed(sandbox: sandbox(), [crashed]), now: now) == .createContainer(name: "app", attempt: 1))
        // An init container likewise.
        var initCutOff = observed(sandbox: sandbox(), [lostStart("setup")])
        initCutOff.cutOffStarts = ["setup-0"]
        #expect(planner.next(pod(restart: .never, initContainers: ["setup"]), observed: initCutOff, now: now) == .removeContainer(id: "setup-0"))
    }

    @Test func aStartThatFailedOrRanIsARestartAlthoughItsCallWasCutOff() {
        // The start failed by itself (its call answered): a restart after the back-off.
        let failed = observed(sandbox: sandbox(), [lostStart("app")])
        #expect(planner.next(pod(), observed: failed, now: now) == .wait(until: now.addingTimeInterval(10), container: "app"))
        #expect(planner.next(pod(restart: .never), observed: failed, now: now) == .stopSandbox(id: "s1"))
        // The cut-off start did start the container, which then exited: that run counts.
        var ran = observed(sandbox: sandbox(), [container("app", .exited, exitCode: 1)])
        ran.cutOffStarts = ["app-0"]
        #expect(planner.next(pod(), observed: ran, now: now) == .wait(until: now.addingTimeInterval(10), container: "app"))
        // Still being started, or running: started once more, or left alone.
        var starting = observed(sandbox: sandbox(), [container("app", .created)])
        starting.cutOffStarts = ["app-0"]
        #expect(planner.next(pod(), observed: starting, now: now) == .startContainer(id: "app-0"))
        var running = observed(sandbox: sandbox(), [container("app", .running)])
        running.cutOffStarts = ["app-0"]
        #expect(planner.next(pod(), observed: running, now: now) == .idle)
    }
}
