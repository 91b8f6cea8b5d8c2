import FlotillaCore

/// The containerd an agent runs for itself, as k3s does: everything it keeps (content, snapshots,
/// state, its socket, config and log) under one directory of the agent's data dir; its CRI plugin
/// on, running containers with runc, wiring sandboxes with the CNI plugins and configuration
/// named here, and using the agent's own sandbox image.
///
/// Registries: those on loopback (`localhost:PORT`, `127.0.0.1:PORT`, `[::1]:PORT`) are reached
/// over plain HTTP, as Docker does; any other over HTTPS unless listed in ``insecureRegistries``.
public struct ContainerdConfiguration: Sendable, Equatable {
    /// containerd's own directory, e.g. `<data-dir>/containerd`.
    public var directory: String
    /// The containerd binary (a name looked up in PATH, or a path).
    public var binary: String
    /// The CNI plugin binaries (Debian's containernetworking-plugins put them in `/usr/lib/cni`).
    public var cniBinDirectory: String
    /// The CNI network configuration (a `.conflist`, see ``CNINetworkConfiguration``).
    public var cniConfigDirectory: String
    /// The image every pod sandbox runs (see ``SandboxImage``).
    public var sandboxImage: String
    /// The snapshotter unpacking images: `overlayfs`, or `native` where overlay mounts are not possible.
    public var snapshotter: String
    /// `HOST:PORT` of registries to reach over plain HTTP although not on loopback.
    public var insecureRegistries: [String]
    /// Keep sandboxes' and containers' OOM scores at or above containerd's own, for hosts where
    /// the agent lacks `CAP_SYS_RESOURCE` and so cannot lower them (the default there).
    public var restrictOOMScoreAdjustment: Bool

    public init(
        directory: String, cniConfigDirectory: String, binary: String = "containerd", cniBinDirectory: String = "/usr/lib/cni",
        sandboxImage: String = SandboxImage.reference, snapshotter: String = "overlayfs", insecureRegistries: [String] = [],
        restrictOOMScoreAdjustment: Bool = !HostCapabilities.canLowerOOMScores
    ) {
        self.directory = directory
        self.binary = binary
        self.cniBinDirectory = cniBinDirectory
        self.cniConfigDirectory = cniConfigDirectory
        self.sandboxImage = sandboxImage
        self.snapshotter = snapshotter
        self.insecureRegistries = insecureRegistries
        self.restrictOOMScoreAdjustment = restrictOOMScoreAdjustment
    }

    /// The agent's containerd for data directory `dataDirectory`: `<dataDirectory>/containerd`,
    /// with the CNI configuration in `<dataDirectory>/cni/net.d`.
    public init(dataDirectory: String, insecureRegistries: [String] = []) {
        self.init(
            directory: dataDirectory + "/containerd", cniConfigDirectory: dataDirectory + "/cni/net.d",
            insecureRegistries: insecureRegistries)
    }

    public var configPath: String { directory + "/config.toml" }
    /// The gRPC socket: the CRI endpoint.
    public var socketPath: String { directory + "/containerd.sock" }
    public var rootDirectory: String { directory + "/root" }
    public var stateDirectory: String { directory + "/state" }
    /// One `<host:port>/hosts.toml` per registry that needs one.
    public var registryHostsDirectory: String { directory + "/certs.d" }
    public var logPath: String { directory + "/containerd.log" }
    /// The process id of the running containerd, for finding one left by an agent that died.
    public var pidPath: String { directory + "/containerd.pid" }

    /// The longest unix socket path Linux accepts (`sun_path` less its terminating NUL).
    static let maxSocketPathLength = 107

    /// Throws `badRequest` when containerd could not listen on ``socketPath``.
    public func validate() throws {
        guard socketPath.utf8.count <= Self.maxSocketPathLength else {
            throw FlotillaError(
                .badRequest,
                "containerd socket path \(socketPath) is longer than \(Self.maxSocketPathLength) bytes: use a shorter --data-dir")
        }
    }

    /// `config.toml`, in containerd's configuration version 2.
    public func toml() -> String {
        let cri = "plugins.\"io.containerd.grpc.v1.cri\""
        return """
            version = 2
            root = \(quoted(rootDirectory))
            state = \(quoted(stateDirectory))
            disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

            [grpc]
              address = \(quoted(socketPath))

            [plugins."io.containerd.internal.v1.opt"]
              path = \(quoted(directory + "/opt"))

            [\(cri)]
              sandbox_image = \(quoted(sandboxImage))
              netns_mounts_under_state_dir = true
              restrict_oom_score_adj = \(restrictOOMScoreAdjustment)
              stream_server_address = "127.0.0.1"
              stream_server_port = "0"

            [\(cri).containerd]
              snapshotter = \(quoted(snapshotter))
              default_runtime_name = "runc"

            [\(cri).containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"

            [\(cri).containerd.runtimes.runc.options]
              Root = \(quoted(stateDirectory + "/runc"))
              SystemdCgroup = false

            [\(cri).cni]
              bin_dir = \(quoted(cniBinDirectory))
              conf_dir = \(quoted(cniConfigDirectory))

            [\(cri).registry]
              config_path = \(quoted(registryHostsDirectory))

            """
    }

    /// `hosts.toml` of each insecure registry, by `HOST:PORT`: pulls go to it over plain HTTP.
    public func registryHosts() -> [(host: String, toml: String)] {
        insecureRegistries.map { host in
            let server = "http://\(host)"
            return (host, """
                server = \(quoted(server))

                [host.\(quoted(server))]
                  capabilities = ["pull", "resolve"]

                """)
        }
    }

    /// A TOML basic string.
    private func quoted(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
