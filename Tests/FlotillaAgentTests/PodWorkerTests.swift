import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// A pod worker against a real containerd: pods started, run to completion, re-adopted by a new
/// worker, and torn down, one step at a time. Needs root; CI runs it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PodWorkerTests {
    /// Runs `body` with a fresh fixture and a worker over `runtime` (the fixture's own by default).
    func withWorker(
        runtime: (ContainerdFixture) -> any ContainerRuntime = { $0.runtime }, _ body: (ContainerdFixture, PodWorker) async throws -> Void
    ) async throws {
        try await ContainerdFixture.with { fixture in
            let worker = PodWorker(
                runtime: runtime(fixture),
                options: .init(podDirectory: fixture.directory + "/pods", logDirectory: fixture.directory + "/logs", cgroupRoot: fixture.cgroupParent))
            try await body(fixture, worker)
        }
    }

    func pod(_ fixture: ContainerdFixture, restart: PodDesign.RestartPolicy, app: String) -> PodDesign {
        PodDesign(
            uid: UUID().uuidString.lowercased(), name: "worker-test", restartPolicy: restart,
            initContainers: [.init(name: "setup", image: fixture.image, command: ["sh", "-c", "echo setting up"])],
            containers: [.init(name: "app", image: fixture.image, command: ["sh", "-c", app], environment: [.init("WHO", "app")])],
            terminationGracePeriod: .seconds(1))
    }

    /// Steps the worker until `condition` holds of what it observed, for at most 30 s.
    func syncUntil(_ worker: PodWorker, _ pod: PodDesign, _ what: String, _ condition: (ObservedPod) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            _ = try await worker.sync(pod)
            if condition(await worker.observed) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what)")
        throw FlotillaError(.timeout, "timed out waiting until \(what)")
    }

    @Test func runsAPodToCompletion() async throws {
        try await withWorker { fixture, worker in
            let design = pod(fixture, restart: .never, app: "echo $WHO done; exit 3")
            try await syncUntil(worker, design, "the pod finished") { $0.sandbox?.state == .notReady }
            let observed = await worker.observed
            #expect(observed.latest("setup")?.exitCode == 0)
            let app = try #require(observed.latest("app"))
            #expect(app.exitCode == 3)
            #expect(app.reason == "Error")
            let log = try String(contentsOfFile: app.logPath, encoding: .utf8)
            #expect(ContainerLogLine.entries(in: log).map(\.text) == ["app done"])
            #expect(try await worker.sync(design) == .idle)
            let status = await worker.report(design, lastStep: .idle, hostIP: "127.0.0.1").status(now: Date())
            #expect(status["phase"] == "Failed")
            #expect(status["initContainerStatuses"][0][path: ["state", "terminated", "reason"]] == "Completed")
            #expect(status["containerStatuses"][0][path: ["state", "terminated", "exitCode"]] == 3)

            var deleting = design
            deleting.deleting = true
            #expect(try await worker.sync(deleting) == .idle)
            #expect(try await fixture.runtime.listSandboxes(labels: [PodLabels.podUID: design.uid]).isEmpty)
            #expect(try await fixture.runtime.listContainers(inSandbox: nil, labels: [PodLabels.podUID: design.uid]).isEmpty)
        }
    }

    @Test func looksUpOnlyTheImagesOfContainersItMayCreate() async throws {
        try await withWorker { fixture, worker in
            let design = PodDesign(
                uid: UUID().uuidString.lowercased(), name: "image-lookups", restartPolicy: .always,
                containers: [.init(name: "app", image: fixture.image, command: ["sleep", "60"])], terminationGracePeriod: .seconds(1))
            #expect(try await worker.step(design) == .runSandbox(attempt: 0))
            #expect(await worker.observed.images.isEmpty, "no sandbox yet, so nothing to create a container in")
            var step = try await worker.step(design)
            if step == .pullImage(fixture.image) { step = try await worker.step(design) }
            #expect(step == .createContainer(name: "app", attempt: 0))
            #expect(await worker.observed.images == [fixture.image])
            try await syncUntil(worker, design, "the app runs") { $0.latest("app")?.state == .running }
            #expect(await worker.observed.images.isEmpty, "a running container's image is not looked up")

            var deleting = design
            deleting.deleting = true
            #expect(try await worker.sync(deleting) == .idle)
            #expect(await worker.observed.images.isEmpty)
        }
    }

    @Test func crashLoopsAndIsReadoptedByANewWorker() async throws {
        try await withWorker { fixture, worker in
            let crashing = pod(fixture, restart: .always, app: "exit 1")
            try await syncUntil(worker, crashing, "the app crashed") { $0.latest("app")?.state == .exited }
            guard case .wait(_, let container) = try await worker.sync(crashing) else {
                Issue.record("a crashed container waits out its back-off")
                return
            }
            #expect(container == "app")
            let crashStatus = await worker.report(crashing, lastStep: .wait(until: Date(), container: "app"), hostIP: "127.0.0.1").status(now: Date())
            #expect(crashStatus["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")

            // An image that is not there: ErrImagePull, then ImagePullBackOff while the worker waits.
            var missing = pod(fixture, restart: .always, app: "true")
            missing.initContainers = []
            missing.containers[0].image = fixture.image.replacingOccurrences(of: ":v1", with: ":missing")
            guard case .wait = try await worker.sync(missing) else {
                Issue.record("a failed pull waits out its back-off")
                return
            }
            var missingStatus = await worker.report(missing, lastStep: .idle, hostIP: "127.0.0.1").status(now: Date())
            #expect(missingStatus["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "ErrImagePull")
            _ = try await worker.sync(missing)
            missingStatus = await worker.report(missing, lastStep: .idle, hostIP: "127.0.0.1").status(now: Date())
            #expect(missingStatus["containerStatuses"][0][path: ["state", "waiting", "reason"]] == "ImagePullBackOff")
            #expect(missingStatus["phase"] == "Pending")

            // A long-running pod, then a new worker (an agent restart) that leaves it running.
            let steady = pod(fixture, restart: .always, app: "exec sleep 3600")
            try await syncUntil(worker, steady, "the app runs") { $0.latest("app")?.state == .running }
            let running = try #require(await worker.observed.latest("app"))
            let restarted = PodWorker(runtime: fixture.runtime, options: worker.options)
            #expect(try await restarted.sync(steady) == .idle)
            #expect(await restarted.observed.latest("app") == running)

            // A changed spec replaces the running container with its next instance.
            var changed = steady
            changed.containers[0].environment = [.init("WHO", "someone else")]
            try await syncUntil(restarted, changed, "the changed container runs") { observed in
                observed.latest("app")?.attempt == 1 && observed.latest("app")?.state == .running
            }
            let replacement = try #require(await restarted.observed.latest("app"))
            let who = try await fixture.runtime.execSync(replacement.id, command: ["sh", "-c", "echo $WHO"], timeout: .seconds(10))
            #expect(who.output == "someone else\n")

            for design in [crashing, steady, missing] {
                var deleting = design
                deleting.deleting = true
                #expect(try await restarted.sync(deleting) == .idle)
            }
            #expect(try await fixture.runtime.listSandboxes(labels: [:]).isEmpty)
        }
    }

    @Test func containersShareAnEmptyDirAndTheNodesFiles() async throws {
        try await withWorker { fixture, worker in
            let hostDirectory = fixture.directory + "/host-files"
            try FileManager.default.createDirectory(atPath: hostDirectory, withIntermediateDirectories: true)
            try "from the node\n".write(toFile: hostDirectory + "/note", atomically: true, encoding: .utf8)
            let design = PodDesign(
                uid: UUID().uuidString.lowercased(), name: "sharing", restartPolicy: .always,
                initContainers: [
                    .init(name: "seed", image: fixture.image, command: ["sh", "-c", "cp /node/note /work/note"],
                          volumeMounts: [.init(volume: "work", mountPath: "/work"), .init(volume: "node", mountPath: "/node", readOnly: true)])
                ],
                containers: [
                    .init(name: "writer", image: fixture.image, command: ["sh", "-c", "echo written >> /work/out/log; exec sleep 3600"],
                          volumeMounts: [.init(volume: "work", mountPath: "/work/out", subPath: "out")]),
                    .init(name: "reader", image: fixture.image, command: ["sleep", "3600"], volumeMounts: [.init(volume: "work", mountPath: "/data")]),
                ],
                terminationGracePeriod: .seconds(1),
                volumes: [.init(name: "work", source: .emptyDir(inMemory: true)), .init(name: "node", source: .hostPath(hostDirectory))])
            try await syncUntil(worker, design, "both containers run") { observed in
                ["writer", "reader"].allSatisfy { observed.latest($0)?.state == .running }
            }
            let reader = try #require(await worker.observed.latest("reader"))
            let seen = try await fixture.runtime.execSync(reader.id, command: ["sh", "-c", "cat /data/note /data/out/log"], timeout: .seconds(10))
            #expect(seen.output == "from the node\nwritten\n")
            let podDirectory = "\(worker.options.podDirectory)/\(design.uid)"
            #expect(FileManager.default.fileExists(atPath: podDirectory + "/volumes/empty-dir/work/note"))

            // A volume the agent does not provide keeps its container from being created, and says why.
            var unsupported = design
            unsupported.uid = UUID().uuidString.lowercased()
            unsupported.volumes[1].source = .unsupported("configMap")
            #expect(try await worker.sync(unsupported) == .idle)
            let status = await worker.report(unsupported, lastStep: .idle, hostIP: "127.0.0.1").status(now: Date())
            #expect(status["initContainerStatuses"][0][path: ["state", "waiting", "reason"]] == "CreateContainerConfigError")
            #expect(status["initContainerStatuses"][0][path: ["state", "waiting", "message"]].string?.contains("configMap") == true)

            for pod in [design, unsupported] {
                var deleting = pod
                deleting.deleting = true
                #expect(try await worker.sync(deleting) == .idle)
            }
            #expect(!FileManager.default.fileExists(atPath: podDirectory))
        }
    }

    @Test func aContainerWhoseStartCallWasCutOffIsNoRestart() async throws {
        var cutOffRuntime: CutOffRuntime?
        try await withWorker(runtime: { fixture in
            let runtime = CutOffRuntime(runtime: fixture.runtime, containerdLog: fixture.supervisor.configuration.logPath)
            cutOffRuntime = runtime
            return runtime
        }) { fixture, worker in
            let design = PodDesign(
                uid: UUID().uuidString.lowercased(), name: "cut-off", restartPolicy: .always,
                containers: [.init(name: "app", image: fixture.image, command: ["sleep", "3600"])], terminationGracePeriod: .seconds(1))
            try await syncUntil(worker, design, "the app runs") { $0.latest("app")?.state == .running }
            #expect(await cutOffRuntime?.cutOff.count == 1)
            #expect(await worker.observed.instances["app"]?.map(\.attempt) == [0])
            // One container of the pod, running: none left behind by the start that was cut off.
            let containers = try await fixture.runtime.listContainers(inSandbox: nil, labels: [PodLabels.podUID: design.uid])
            #expect(containers.map(\.state) == [.running])
            let status = await worker.report(design, lastStep: .idle, hostIP: "127.0.0.1").status(now: Date())
            #expect(status["containerStatuses"][0]["restartCount"] == 0)
            #expect(status["containerStatuses"][0]["lastState"] == .emptyObject)

            var deleting = design
            deleting.deleting = true
            #expect(try await worker.sync(deleting) == .idle)
        }
    }
}
