import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Containers through the process runtime as host processes, with the busybox image from a
/// registry on loopback that wants a login, and the shims of the built `flotilla` executable
/// (`swift build` makes it). Needs root (mounts, chroot, cgroups); CI runs it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ProcessRuntimeTests {
    static let flotilla = TestRegistry.repository + "/.build/debug/flotilla"

    /// Polls `condition` every 50 ms until it holds, for at most `seconds`.
    func eventually(_ what: String, seconds: Int = 20, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
        throw FlotillaError(.timeout, "timed out waiting until \(what)")
    }

    /// Processes and mounts that mention `directory`.
    func leftovers(_ directory: String) -> [String] {
        var found: [String] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { continue }
            let commandLine = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            if commandLine.contains(directory) { found.append("process \(entry): \(commandLine)") }
        }
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return found + mounts.split(separator: "\n").filter { $0.contains(directory) }.map { "mount: \($0)" }
    }

    func logText(_ status: ContainerStatus) -> [String] {
        let text = (try? String(contentsOfFile: status.logPath, encoding: .utf8)) ?? ""
        return ContainerLogLine.entries(in: text).map { "\($0.stream.rawValue) \($0.text)" }
    }

    @Test func runsContainersAsHostProcesses() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.flotilla), "build flotilla first: swift build")
        let directory = "/tmp/flp-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let registry = try await TestRegistry(directory: directory + "/registry", login: "flotilla:s3cret")
        defer {
            registry.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let image = try await registry.pushBusybox(layout: directory + "/layout")
        let configuration = ProcessRuntime.Configuration(dataDirectory: directory + "/agent", hostIP: "127.0.0.1", shimExecutable: Self.flotilla)
        let runtime = ProcessRuntime(configuration: configuration)

        let version = try await runtime.version()
        #expect(version.nodeInfo == "process://\(FlotillaVersion.version)")
        #expect(try await runtime.status().ready)

        // Images: the registry wants its login, in either form.
        await #expect(throws: FlotillaError.self) { try await runtime.pullImage(image, credentials: nil) }
        let imageID = try await runtime.pullImage(image, credentials: RegistryCredentials(username: "flotilla", password: "s3cret"))
        #expect(imageID.hasPrefix("sha256:"))
        let auth = Data("flotilla:s3cret".utf8).base64EncodedString()
        #expect(try await runtime.pullImage(image, credentials: RegistryCredentials(auth: auth)) == imageID)
        #expect(try await runtime.image(image)?.id == imageID)
        #expect(try await runtime.image(imageID)?.tags == [image])
        #expect(try await runtime.listImages().map(\.id) == [imageID])
        #expect(FileManager.default.fileExists(atPath: "\(directory)/agent/process/images/\(imageID.dropFirst(7))/rootfs/bin/busybox"))

        // A sandbox is a record with the node's address.
        let sandbox = SandboxConfiguration(
            podName: "web", podNamespace: "default", podUID: "uid-web", logDirectory: directory + "/logs/web",
            cgroupParent: "/flotilla-test/pod\(UUID().uuidString.prefix(8))", labels: ["app": "web"])
        let sandboxID = try await runtime.runSandbox(sandbox)
        let sandboxStatus = try await runtime.sandboxStatus(sandboxID)
        #expect(sandboxStatus.state == .ready)
        #expect(sandboxStatus.ips == ["127.0.0.1"])
        #expect(try await runtime.listSandboxes(labels: ["app": "web"]).map(\.id) == [sandboxID])
        #expect(try await runtime.listSandboxes(labels: ["app": "other"]).isEmpty)

        // A container with its command, environment, working directory, a read-only mount and limits.
        let shared = directory + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        try "from the host\n".write(toFile: shared + "/note", atomically: true, encoding: .utf8)
        let writer = ContainerConfiguration(
            name: "writer", image: image, command: ["sh", "-c"],
            args: ["echo hello-out; echo hello-err >&2; echo \"$GREETING\"; pwd; cat /shared/note; printf partial; exec sleep 3600"],
            workingDirectory: "/work", environment: [.init("GREETING", "hi there")],
            mounts: [.init(containerPath: "/shared", hostPath: shared, readOnly: true)],
            resources: ContainerResources(cpuRequestMillis: 100, cpuLimitMillis: 500, memoryLimitBytes: 64 << 20),
            labels: ["container": "writer"])
        let writerID = try await runtime.createContainer(writer, inSandbox: sandboxID, sandbox: sandbox)
        #expect(try await runtime.containerStatus(writerID).state == .created)
        try await runtime.startContainer(writerID)
        var status = try await runtime.containerStatus(writerID)
        #expect(status.state == .running)
        #expect(status.startedAt != nil)
        #expect(status.logPath == directory + "/logs/web/writer/0.log")
        try await eventually("the writer's output is in its log") { logText(try await runtime.containerStatus(writerID)).count == 5 }
        // Each stream in its order (the two streams are read apart, as containerd reads them).
        #expect(logText(status).filter { $0.hasPrefix("stdout") } == ["stdout hello-out", "stdout hi there", "stdout /work", "stdout from the host"])
        #expect(logText(status).filter { $0.hasPrefix("stderr") } == ["stderr hello-err"])

        // exec: exit codes, output, the container's root, environment and read-only mount; timeouts.
        let hostname = try await runtime.execSync(writerID, command: ["cat", "/etc/hostname"], timeout: .seconds(10))
        #expect(hostname.exitCode == 0)
        #expect(hostname.output == "web\n")
        let failing = try await runtime.execSync(writerID, command: ["sh", "-c", "echo $GREETING; echo oops >&2; exit 3"], timeout: nil)
        #expect(failing.exitCode == 3)
        #expect(failing.output == "hi there\n")
        #expect(failing.errorOutput == "oops\n")
        #expect(try await runtime.execSync(writerID, command: ["touch", "/shared/new"], timeout: nil).exitCode != 0)
        #expect(try await runtime.execSync(writerID, command: ["grep", "-q", "web", "/etc/hosts"], timeout: nil).exitCode == 0)
        await #expect(throws: FlotillaError.self) { try await runtime.execSync(writerID, command: ["sleep", "10"], timeout: .milliseconds(300)) }
        await #expect(throws: FlotillaError.self) {
            try await runtime.streamingURL(.exec(containerID: writerID, command: ["sh"], streams: .init(stdin: true, stdout: true, stderr: true, tty: false)))
        }

        // Stats from its cgroup.
        let stats = try await runtime.containerStats(writerID)
        #expect(stats.name == "writer")
        #expect(stats.memoryWorkingSetBytes != nil)
        #expect(stats.cpuUsageCoreNanoseconds != nil)
        #expect(try await runtime.listContainerStats().map(\.containerID) == [writerID])

        // Another runtime over the same directory (an agent restart) finds it running, untouched.
        let restarted = ProcessRuntime(configuration: configuration)
        #expect(try await restarted.listContainers(inSandbox: sandboxID, labels: ["container": "writer"]).map(\.id) == [writerID])
        #expect(try await restarted.containerStatus(writerID).state == .running)
        #expect(try await restarted.containerStatus(writerID).startedAt == status.startedAt)

        // A container that exits 3, and one that runs out of memory.
        let failingID = try await restarted.createContainer(
            ContainerConfiguration(name: "fails", image: imageID, command: ["sh", "-c", "exit 3"]), inSandbox: sandboxID, sandbox: sandbox)
        try await restarted.startContainer(failingID)
        try await eventually("the failing container exited") { try await restarted.containerStatus(failingID).state == .exited }
        status = try await restarted.containerStatus(failingID)
        #expect(status.exitCode == 3)
        #expect(status.reason == "Error")
        #expect(status.finishedAt != nil)

        let hungryID = try await restarted.createContainer(
            ContainerConfiguration(
                name: "hungry", image: imageID, command: ["sh", "-c", "tail /dev/zero"],
                resources: ContainerResources(memoryLimitBytes: 16 << 20)),
            inSandbox: sandboxID, sandbox: sandbox)
        try await restarted.startContainer(hungryID)
        try await eventually("the hungry container was killed") { try await restarted.containerStatus(hungryID).state == .exited }
        status = try await restarted.containerStatus(hungryID)
        #expect(status.reason == "OOMKilled")
        #expect(status.exitCode == 137)

        // A program that is not in the image does not start.
        let missingID = try await restarted.createContainer(
            ContainerConfiguration(name: "missing", image: imageID, command: ["no-such-program"]), inSandbox: sandboxID, sandbox: sandbox)
        await #expect(throws: FlotillaError.self) { try await restarted.startContainer(missingID) }
        #expect(try await restarted.containerStatus(missingID).reason == "StartError")

        // Stopping: SIGTERM to the process group, SIGKILL past the grace period.
        let stubbornID = try await restarted.createContainer(
            ContainerConfiguration(name: "stubborn", image: imageID, command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]),
            inSandbox: sandboxID, sandbox: sandbox)
        try await restarted.startContainer(stubbornID)
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        try await restarted.stopContainer(stubbornID, gracePeriod: .seconds(1))
        #expect(ContinuousClock.now - started >= .seconds(1))
        #expect(try await restarted.containerStatus(stubbornID).exitCode == 137)
        try await restarted.stopContainer(writerID, gracePeriod: .seconds(10))
        status = try await restarted.containerStatus(writerID)
        #expect(status.state == .exited)
        #expect(status.exitCode == 143)
        #expect(logText(status).last == "stdout partial")

        // Removing the sandbox removes its containers: no process, mount or directory stays.
        try await restarted.stopSandbox(sandboxID)
        #expect(try await restarted.sandboxStatus(sandboxID).state == .notReady)
        try await restarted.removeSandbox(sandboxID)
        #expect(try await restarted.listContainers(inSandbox: nil, labels: [:]).isEmpty)
        #expect(try await restarted.listSandboxes(labels: [:]).isEmpty)
        await #expect(throws: FlotillaError.self) { try await restarted.containerStatus(writerID) }
        #expect(leftovers(directory + "/agent") == [])
        try PodCgroup(path: sandbox.cgroupParent).remove()
        try? PodCgroup(path: "/flotilla-test").remove()
    }
}
