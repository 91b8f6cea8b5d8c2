@testable import FlotillaAgent
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the process runtime's shims write: log entries in the CRI format, and the state files
/// an agent reads back after a restart.
@Suite struct ProcessRuntimeStateTests {
    @Test func framesOutputAsCRILogEntries() {
        var framer = ContainerLogFramer(stream: .stdout)
        var written = framer.frame(Array("hello\nwor".utf8), at: "T1")
        written += framer.frame(Array("ld\n\nlast".utf8), at: "T2")
        written += framer.finish(at: "T3")
        #expect(String(decoding: written, as: UTF8.self) == "T1 stdout F hello\nT2 stdout F world\nT2 stdout F \nT3 stdout F last\n")
        #expect(framer.finish(at: "T4").isEmpty)

        // A long line comes in pieces; every entry parses back.
        var errors = ContainerLogFramer(stream: .stderr)
        let long = String(repeating: "x", count: ContainerLogFramer.maxLineBytes + 10)
        let entries = ContainerLogLine.entries(in: String(decoding: errors.frame(Array((long + "\n").utf8), at: "T"), as: UTF8.self))
        #expect(entries.map(\.partial) == [true, false])
        #expect(entries.map(\.stream) == [.stderr, .stderr])
        #expect(entries.map(\.text.count) == [ContainerLogFramer.maxLineBytes, 10])
    }

    @Test func stampsEntriesWithNanosecondsInUTC() {
        #expect(ContainerLogFramer.timestamp(timespec(tv_sec: 1_475_713_029, tv_nsec: 669_794_202)) == "2016-10-06T00:17:09.669794202Z")
        #expect(ContainerLogFramer.timestamp(timespec(tv_sec: 0, tv_nsec: 5)) == "1970-01-01T00:00:00.000000005Z")
    }

    @Test func stateFilesRoundTrip() throws {
        let directory = NSTemporaryDirectory() + "process-state-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let created = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let sandbox = ProcessSandboxRecord(
            id: "s1",
            configuration: SandboxConfiguration(
                podName: "web", podNamespace: "default", podUID: "u1", attempt: 2, logDirectory: "/logs/web",
                dns: .init(servers: ["10.96.0.10"], searches: ["default.svc.cluster.local"], options: ["ndots:5"]),
                cgroupParent: "/flotilla/podu1", labels: ["a": "b"], annotations: ["c": "d"]),
            ip: "192.0.2.7", createdAt: created)
        try StateFile.write(sandbox, to: directory + "/sandbox.json")
        let readSandbox = try #require(StateFile.read(ProcessSandboxRecord.self, from: directory + "/sandbox.json"))
        #expect(readSandbox == sandbox)
        #expect(readSandbox.summary.state == .ready)
        #expect(readSandbox.summary.attempt == 2)
        #expect(readSandbox.resolvConf(host: "nameserver 1.1.1.1\n")
            == "nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n")

        let container = ProcessContainerRecord(
            id: "c1", sandboxID: "s1", name: "app", attempt: 1, image: "127.0.0.1:5000/busybox:1", imageID: "sha256:abc", createdAt: created,
            labels: ["flotilla.io/container": "app"], annotations: ["x": "y"], logPath: "/logs/web/app/1.log", root: "/data/c1/root",
            argv: ["sh", "-c", "echo hi"], environment: ["PATH=/bin"], workingDirectory: "/", cgroup: ProcessCgroup(path: "/flotilla/podu1/c1"),
            oomScoreAdjustment: -997)
        try StateFile.write(container, to: directory + "/container.json")
        #expect(StateFile.read(ProcessContainerRecord.self, from: directory + "/container.json") == container)
        let exit = ProcessContainerExit(exitCode: 137, finishedAt: created, reason: "OOMKilled", message: "")
        try StateFile.write(exit, to: directory + "/exit.json")
        #expect(StateFile.read(ProcessContainerExit.self, from: directory + "/exit.json") == exit)
        #expect(StateFile.read(ProcessContainerExit.self, from: directory + "/missing.json") == nil)
        // Nothing half written stays beside them.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["container.json", "exit.json", "sandbox.json"])
    }

    @Test func tellsALiveProcessFromAGoneOne() throws {
        let me = try #require(ProcessContainerLaunch.stat(of: getpid()))
        #expect(ProcessContainerLaunch.isAlive(pid: getpid(), startTicks: me.startTicks))
        #expect(!ProcessContainerLaunch.isAlive(pid: getpid(), startTicks: me.startTicks + 1))
        #expect(ProcessCgroup.field("oom_kill", in: "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n") == 1)
    }
}
