import FlotillaAgent
import FlotillaCRI
import Foundation
import Testing
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private containerd supervised the way the agent runs it, in a temporary directory with its
/// own CNI bridge and pod subnet, and a registry on loopback holding the busybox test image.
/// ``shutdown()`` removes every sandbox, stops containerd and the registry, and cleans up the
/// bridge, the cgroups and the directory; ``leftovers()`` then names anything still there.
final class ContainerdFixture {
    let directory: String
    let bridge: String
    let subnetPrefix: String
    /// The cgroup the test's pods go under.
    let cgroupParent: String
    let registry: TestRegistry
    /// The busybox image in the registry, named by `127.0.0.1:PORT`.
    let image: String
    let supervisor: ContainerdSupervisor
    let client: CRIClient
    let runtime: CRIRuntime

    private init(
        directory: String, bridge: String, subnetPrefix: String, cgroupParent: String, registry: TestRegistry, image: String,
        supervisor: ContainerdSupervisor, client: CRIClient
    ) {
        self.directory = directory
        self.bridge = bridge
        self.subnetPrefix = subnetPrefix
        self.cgroupParent = cgroupParent
        self.registry = registry
        self.image = image
        self.supervisor = supervisor
        self.client = client
        runtime = CRIRuntime(client: client)
    }

    /// The third octet of the next fixture's pod subnet: fixtures running at once get different ones.
    private static let nextSubnet = Mutex(Int.random(in: 200...254))

    /// Runs `body` with a fresh fixture, shuts it down whatever happens (recording the end of
    /// containerd's log when `body` throws), and checks that nothing was left running or mounted.
    static func with(_ body: (ContainerdFixture) async throws -> Void) async throws {
        let fixture = try await start()
        do {
            try await body(fixture)
        } catch {
            Issue.record("containerd's log ends with:\n\(fixture.containerdLogTail())")
            await fixture.shutdown()
            throw error
        }
        await fixture.shutdown()
        #expect(fixture.leftovers() == [])
    }

    static func start() async throws -> ContainerdFixture {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        // Short, so that containerd's socket path stays within the unix limit.
        let directory = "/tmp/flt-\(suffix)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let registry = try await TestRegistry(directory: directory + "/registry")
        let image: String
        do {
            image = try await registry.pushBusybox(layout: directory + "/layout")
        } catch {
            registry.stop()
            throw error
        }
        let octet = nextSubnet.withLock { next in
            defer { next = next == 254 ? 200 : next + 1 }
            return next
        }
        let subnetPrefix = "10.244.\(octet)"
        let supervisor = ContainerdSupervisor(
            configuration: ContainerdConfiguration(dataDirectory: directory + "/agent"),
            network: CNINetworkConfiguration(
                bridge: "flt\(suffix)", subnet: subnetPrefix + ".0/24", ipamDirectory: directory + "/agent/cni/ipam"))
        do {
            try await supervisor.start()
        } catch {
            await supervisor.stop()
            registry.stop()
            throw error
        }
        return ContainerdFixture(
            directory: directory, bridge: "flt\(suffix)", subnetPrefix: subnetPrefix, cgroupParent: "/flotilla-test-\(suffix)",
            registry: registry, image: image, supervisor: supervisor, client: try CRIClient(endpoint: supervisor.endpoint))
    }

    /// A sandbox configuration for a test pod named `name`.
    func sandbox(_ name: String, labels: [String: String] = [:]) -> SandboxConfiguration {
        SandboxConfiguration(
            podName: name, podNamespace: "default", podUID: UUID().uuidString.lowercased(),
            logDirectory: directory + "/pods/default_\(name)", cgroupParent: cgroupParent,
            labels: labels.merging(["flotilla.io/test": "true"]) { mine, _ in mine })
    }

    /// Stops and removes every sandbox, then stops containerd and the registry and removes what
    /// they left: the bridge, the test's cgroups, and the directory.
    func shutdown() async {
        if let sandboxes = try? await runtime.listSandboxes(labels: [:]) {
            for sandbox in sandboxes {
                try? await runtime.stopSandbox(sandbox.id)
                try? await runtime.removeSandbox(sandbox.id)
            }
        }
        await client.close()
        await supervisor.stop()
        registry.stop()
        _ = try? await Shell.run("ip link delete \(bridge) 2>/dev/null || true")
        for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            Self.removeCgroup("/sys/fs/cgroup/\(hierarchy)\(cgroupParent)")
        }
        if leftovers().isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Removes an (empty) cgroup directory and the cgroups under it.
    private static func removeCgroup(_ path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { removeCgroup(path + "/" + child) }
        rmdir(path)
    }

    /// The warnings and errors at the end of containerd's log, for failure reports.
    func containerdLogTail(lines: Int = 15) -> String {
        let log = (try? String(contentsOfFile: supervisor.configuration.logPath, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.contains("level=error") || $0.contains("level=warn") }.suffix(lines)
            .joined(separator: "\n")
    }

    /// Processes and mounts that still use the fixture's directory.
    func leftovers() -> [String] {
        var found: [String] = []
        let files = FileManager.default
        for entry in (try? files.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            guard let data = files.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else { continue }
            let commandLine = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            if commandLine.contains(directory) { found.append("process \(entry): \(commandLine)") }
        }
        if let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) {
            found += mounts.split(separator: "\n").filter { $0.contains(directory) }.map { "mount: \($0)" }
        }
        return found
    }
}
