import FlotillaCore
import Foundation

/// The image every pod sandbox runs (the "pause" container that holds the pod's namespaces),
/// built by the agent itself so that no registry is needed for it.
///
/// It is one layer with the host's static busybox (Debian's `busybox-static`, at `/bin/busybox`)
/// running a one-line shell as the sandbox's PID 1: it sleeps, reaps every orphaned process
/// handed to it (ash's `wait` collects any child, not only the one it waits for), and exits on
/// SIGTERM or SIGINT. A static binary the host already has, and no compiler or prebuilt binary.
public struct SandboxImage: Sendable {
    /// The name containerd knows it by; on loopback, so containerd never reaches for a public registry.
    public static let reference = "localhost/flotilla/pause:1"

    /// The shell script of the sandbox's PID 1.
    static let script = "trap 'exit 0' TERM INT; while :; do /bin/busybox sleep 2147483647 & wait $!; done"

    /// The static busybox binary the image is built from.
    public var busybox: String

    public init(busybox: String = "/bin/busybox") {
        self.busybox = busybox
    }

    /// The image as an OCI image-layout archive.
    func archive() throws -> [UInt8] {
        guard let binary = FileManager.default.contents(atPath: busybox) else {
            throw FlotillaError(
                .internalError, "cannot read \(busybox) for the sandbox image: install busybox-static (apt-get install busybox-static)")
        }
        var layer = TarWriter()
        try layer.addDirectory("bin")
        try layer.addFile("bin/busybox", contents: Array(binary), mode: 0o755)
        try layer.addDirectory("tmp", mode: 0o1777)
        return try OCIImageArchive(
            name: Self.reference, layer: layer.finished(), entrypoint: ["/bin/busybox", "sh", "-c", Self.script],
            environment: ["PATH=/bin"], architecture: NodeDescription.goArchitecture(HostFacts.machine)
        ).archive()
    }

    /// Imports the image into containerd's `k8s.io` namespace (the CRI's) with `ctr`, unpacked
    /// for containerd's snapshotter. Importing again is harmless.
    public func importInto(_ containerd: ContainerdConfiguration, ctr: String = "ctr") async throws {
        let path = containerd.directory + "/pause.oci.tar"
        guard FileManager.default.createFile(atPath: path, contents: Data(try archive())) else {
            throw FlotillaError(.internalError, "cannot write the sandbox image to \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await HostCommand.run(
            ctr, ["--address", containerd.socketPath, "--namespace", "k8s.io", "images", "import",
                  "--snapshotter", containerd.snapshotter, path])
    }
}
