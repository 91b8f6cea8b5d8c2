import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Pods through the CRI runtime against a real containerd and runc, supervised as the agent runs
/// them, with images from a registry on loopback. Needs root; CI runs it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CRIRuntimeTests {
    /// Polls `condition` every 100 ms until it holds, for at most `seconds`.
    func eventually(_ what: String, seconds: Int = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what)")
        throw FlotillaError(.timeout, "timed out waiting until \(what)")
    }

    @Test func runsPodsThroughContainerd() async throws {
        try await ContainerdFixture.with { fixture in
            let runtime = fixture.runtime
            let version = try await runtime.version()
            #expect(version.name == "containerd")
            #expect(version.nodeInfo.hasPrefix("containerd://"))
            try await eventually("the runtime and its network are ready") { try await runtime.status().ready }
            #expect(try await runtime.image(SandboxImage.reference) != nil)

            // Images from a registry on loopback come over plain HTTP, by address or as localhost.
            let imageID = try await runtime.pullImage(fixture.image, credentials: nil)
            #expect(imageID.hasPrefix("sha256:"))
            #expect(try await runtime.image(fixture.image)?.id == imageID)
            let byLocalhost = fixture.image.replacingOccurrences(of: "127.0.0.1:", with: "localhost:")
            #expect(try await runtime.pullImage(byLocalhost, credentials: nil) == imageID)
            #expect(try await runtime.listImages().contains { $0.tags.contains(fixture.image) })
            await #expect(throws: FlotillaError.self) {
                try await runtime.pullImage(fixture.image.replacingOccurrences(of: ":v1", with: ":missing"), credentials: nil)
            }

            // A sandbox gets an address from the node's pod subnet.
            let sandbox = fixture.sandbox("web", labels: ["app": "web"])
            let sandboxID = try await runtime.runSandbox(sandbox)
            let sandboxStatus = try await runtime.sandboxStatus(sandboxID)
            #expect(sandboxStatus.state == .ready)
            let podIP = try #require(sandboxStatus.ips.first)
            #expect(podIP.hasPrefix(fixture.subnetPrefix + "."))
            #expect(sandboxStatus.summary.podUID == sandbox.podUID)

            // A container with command, environment, working directory, a mount and resources, writing to its log.
            let shared = fixture.directory + "/shared"
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            try "from the host\n".write(toFile: shared + "/note", atomically: true, encoding: .utf8)
            let writer = ContainerConfiguration(
                name: "writer", image: imageID, command: ["sh", "-c"],
                args: ["echo hello-out; echo hello-err >&2; exec sleep 3600"], workingDirectory: "/tmp",
                environment: [.init("GREETING", "hi there")],
                mounts: [.init(containerPath: "/shared", hostPath: shared, readOnly: true)],
                resources: ContainerResources(cpuRequestMillis: 100, cpuLimitMillis: 500, memoryLimitBytes: 64 << 20),
                labels: ["flotilla.io/container": "writer"])
            let writerID = try await runtime.createContainer(writer, inSandbox: sandboxID, sandbox: sandbox)
            try await runtime.startContainer(writerID)
            let running = try await runtime.containerStatus(writerID)
            #expect(running.state == .running)
            #expect(running.name == "writer")
            #expect(running.startedAt != nil)
            #expect(running.logPath == sandbox.logDirectory + "/writer/0.log")
            var entries: [ContainerLogLine] = []
            try await eventually("the container's output is in its log") {
                let text = (try? String(contentsOfFile: running.logPath, encoding: .utf8)) ?? ""
                entries = ContainerLogLine.entries(in: text)
                return entries.count >= 2
            }
            #expect(entries.contains { $0.stream == .stdout && $0.text == "hello-out" && !$0.partial })
            #expect(entries.contains { $0.stream == .stderr && $0.text == "hello-err" })

            // exec: exit codes and both streams; the container's environment, directory, mount, limits and network.
            let exec = try await runtime.execSync(writerID, command: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
            #expect(exec.exitCode == 3)
            #expect(exec.output == "out\n")
            #expect(exec.errorOutput == "err\n")
            let inside = try await runtime.execSync(
                writerID,
                command: ["sh", "-c", "echo $GREETING; pwd; cat /shared/note; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; ip -4 addr show eth0; ip addr show lo"],
                timeout: .seconds(10))
            #expect(inside.exitCode == 0)
            let lines = inside.output.split(separator: "\n").map(String.init)
            #expect(Array(lines.prefix(4)) == ["hi there", "/tmp", "from the host", String(64 << 20)])
            #expect(inside.output.contains("inet \(podIP)/24"))
            #expect(inside.output.contains("inet 127.0.0.1/8"))

            // Resource usage.
            let stats = try await runtime.containerStats(writerID)
            #expect(stats.name == "writer")
            #expect((stats.memoryWorkingSetBytes ?? 0) > 0)
            #expect(try await runtime.listContainerStats().contains { $0.containerID == writerID })

            // What an agent restart finds again: the pod's sandbox and its containers, by label.
            let sandboxes = try await runtime.listSandboxes(labels: ["app": "web"])
            #expect(sandboxes.map(\.id) == [sandboxID])
            #expect(sandboxes.first?.podName == "web")
            let containers = try await runtime.listContainers(inSandbox: sandboxID, labels: [:])
            #expect(containers.map(\.name) == ["writer"])
            #expect(containers.first?.labels["flotilla.io/container"] == "writer")

            // containerd killed: the supervisor starts it again, and the container ran on meanwhile.
            let firstPID = try #require(await fixture.supervisor.processID)
            kill(firstPID, SIGKILL)
            try await eventually("containerd runs again") {
                guard let pid = await fixture.supervisor.processID, pid != firstPID else { return false }
                return (try? await runtime.version()) != nil
            }
            #expect(await fixture.supervisor.restarts == 1)
            let afterRestart = try await runtime.containerStatus(writerID)
            #expect(afterRestart.state == .running)
            #expect(afterRestart.startedAt == running.startedAt)
            #expect(try await runtime.execSync(writerID, command: ["true"], timeout: nil).exitCode == 0)

            // A failing container reports its exit code.
            let failerID = try await runtime.createContainer(
                ContainerConfiguration(name: "failer", image: imageID, command: ["sh", "-c", "exit 7"]), inSandbox: sandboxID, sandbox: sandbox)
            try await runtime.startContainer(failerID)
            try await eventually("the failing container exits") { try await runtime.containerStatus(failerID).state == .exited }
            let failed = try await runtime.containerStatus(failerID)
            #expect(failed.exitCode == 7)
            #expect(failed.reason == "Error")
            #expect(failed.finishedAt != nil)

            // A container past its memory limit is OOMKilled.
            let hogID = try await runtime.createContainer(
                ContainerConfiguration(
                    name: "hog", image: imageID, command: ["sh", "-c", "tail /dev/zero"],
                    resources: ContainerResources(memoryLimitBytes: 24 << 20)),
                inSandbox: sandboxID, sandbox: sandbox)
            try await runtime.startContainer(hogID)
            try await eventually("the memory hog is killed") { try await runtime.containerStatus(hogID).state == .exited }
            let killed = try await runtime.containerStatus(hogID)
            #expect(killed.oomKilled, "reason: \(killed.reason)")
            #expect(killed.exitCode == 137)

            // Stop and remove everything.
            try await runtime.stopContainer(writerID, gracePeriod: .seconds(1))
            #expect(try await runtime.containerStatus(writerID).state == .exited)
            for id in [writerID, failerID, hogID] { try await runtime.removeContainer(id) }
            try await runtime.removeContainer(writerID)  // idempotent
            await #expect { try await runtime.containerStatus(writerID) } throws: { ($0 as? FlotillaError)?.code == .notFound }
            try await runtime.stopSandbox(sandboxID)
            try await runtime.removeSandbox(sandboxID)
            #expect(try await runtime.listSandboxes(labels: ["flotilla.io/test": "true"]).isEmpty)
            #expect(try await runtime.listContainers(inSandbox: nil, labels: [:]).isEmpty)
        }
    }

    @Test func pullsFromARegistryThatWantsALogin() async throws {
        try await ContainerdFixture.with { fixture in
            let registry = try await TestRegistry(directory: fixture.directory + "/private-registry", login: "flotilla:s3cret")
            defer { registry.stop() }
            let image = try await registry.pushBusybox(layout: fixture.directory + "/layout", repository: "private/busybox")
            await #expect { try await fixture.runtime.pullImage(image, credentials: nil) } throws: { error in
                (error as? FlotillaError)?.message.contains("401 Unauthorized") == true
            }
            let wrong = RegistryCredentials(username: "flotilla", password: "wrong")
            await #expect(throws: FlotillaError.self) { try await fixture.runtime.pullImage(image, credentials: wrong) }
            let right = RegistryCredentials(username: "flotilla", password: "s3cret")
            #expect(try await fixture.runtime.pullImage(image, credentials: right).hasPrefix("sha256:"))
            // The same login in Docker's base64 `auth` form.
            let auth = RegistryCredentials(auth: Data("flotilla:s3cret".utf8).base64EncodedString())
            let byAuth = image.replacingOccurrences(of: "127.0.0.1:", with: "localhost:")
            #expect(try await fixture.runtime.pullImage(byAuth, credentials: auth).hasPrefix("sha256:"))
        }
    }
}
