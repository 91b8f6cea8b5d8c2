/// A container to create in a pod sandbox: its image, what it runs and with which environment,
/// its mounts and resources, and where its log goes.
public struct ContainerConfiguration: Sendable, Equatable {
    /// One environment variable.
    public struct EnvironmentVariable: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A host path mounted into the container.
    public struct Mount: Sendable, Equatable {
        /// Whether mounts made under it later show on the other side.
        public enum Propagation: Sendable, Equatable {
            /// Neither way (Kubernetes `None`).
            case none
            /// From the host into the container (`HostToContainer`).
            case hostToContainer
            /// Both ways (`Bidirectional`).
            case bidirectional
        }

        public var containerPath: String
        public var hostPath: String
        public var readOnly: Bool
        public var propagation: Propagation

        public init(containerPath: String, hostPath: String, readOnly: Bool = false, propagation: Propagation = .none) {
            self.containerPath = containerPath
            self.hostPath = hostPath
            self.readOnly = readOnly
            self.propagation = propagation
        }
    }

    /// The container's name in its pod.
    public var name: String
    /// How many times this container was created before in this sandbox (its restart count).
    public var attempt: UInt32
    /// The image as pulled (a reference or the id ``ContainerRuntime/pullImage(_:credentials:)`` returned).
    public var image: String
    /// The entrypoint, replacing the image's (Kubernetes `command`); empty keeps the image's.
    public var command: [String]
    /// Its arguments, replacing the image's `Cmd` (Kubernetes `args`).
    public var args: [String]
    /// Empty keeps the image's.
    public var workingDirectory: String
    public var environment: [EnvironmentVariable]
    public var mounts: [Mount]
    public var resources: ContainerResources
    /// The log file, relative to the sandbox's log directory (Kubernetes: `<container>/<restart>.log`).
    public var logPath: String
    public var stdin: Bool
    public var stdinOnce: Bool
    public var tty: Bool
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        name: String, attempt: UInt32 = 0, image: String, command: [String] = [], args: [String] = [],
        workingDirectory: String = "", environment: [EnvironmentVariable] = [], mounts: [Mount] = [],
        resources: ContainerResources = ContainerResources(), logPath: String? = nil, stdin: Bool = false,
        stdinOnce: Bool = false, tty: Bool = false, labels: [String: String] = [:], annotations: [String: String] = [:]
    ) {
        self.name = name
        self.attempt = attempt
        self.image = image
        self.command = command
        self.args = args
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.mounts = mounts
        self.resources = resources
        self.logPath = logPath ?? "\(name)/\(attempt).log"
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.tty = tty
        self.labels = labels
        self.annotations = annotations
    }
}
