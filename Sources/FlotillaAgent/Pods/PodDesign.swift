import FlotillaAPI
import FlotillaCore

/// The parts of a Pod its worker acts on, read from the object the API serves: who it is, how
/// its containers restart, and each container as the runtime will create it.
public struct PodDesign: Sendable, Equatable {
    /// `spec.restartPolicy`.
    public enum RestartPolicy: String, Sendable, Equatable {
        case always = "Always", onFailure = "OnFailure", never = "Never"
    }

    /// `imagePullPolicy` of a container.
    public enum PullPolicy: String, Sendable, Equatable {
        case always = "Always", ifNotPresent = "IfNotPresent", never = "Never"
    }

    /// One container of the pod.
    public struct Container: Sendable, Equatable {
        public var name: String
        public var image: String
        public var pullPolicy: PullPolicy
        public var command: [String]
        public var args: [String]
        public var workingDirectory: String
        /// The environment, resolved (see ``ContainerEnvironment``).
        public var environment: [ContainerConfiguration.EnvironmentVariable]
        /// `env` and `envFrom` as the spec gives them (null for a container not read from a spec).
        public var environmentSpec: JSON = .null
        /// Variables that take the pod's address, known once its sandbox runs.
        public var podIPVariables: [String] = []
        /// Why the container cannot be created as configured (a ConfigMap it needs is missing,
        /// say); nil when it can.
        public var configurationError: String?
        public var resources: ContainerResources
        public var volumeMounts: [PodVolume.Mount]
        /// Keeps its standard input open (`stdin`), for `kubectl attach`; closed after the first
        /// attach when `stdinOnce`; on a terminal when `tty`.
        public var stdin = false
        public var stdinOnce = false
        public var tty = false
        /// Its liveness, readiness and startup probes.
        public var probes = ContainerProbes()
        /// `lifecycle.postStart`: runs once the container started; it counts as started once the hook succeeded.
        public var postStart: LifecycleHook?
        /// `lifecycle.preStop`: runs before the container is sent its stop signal.
        public var preStop: LifecycleHook?
        /// Ports published on the node (`ports[]` with a `hostPort`).
        public var hostPorts: [SandboxConfiguration.PortMapping]

        public init(
            name: String, image: String, pullPolicy: PullPolicy = .ifNotPresent, command: [String] = [], args: [String] = [],
            workingDirectory: String = "", environment: [ContainerConfiguration.EnvironmentVariable] = [],
            resources: ContainerResources = ContainerResources(), volumeMounts: [PodVolume.Mount] = [],
            hostPorts: [SandboxConfiguration.PortMapping] = []
        ) {
            self.name = name
            self.image = image
            self.pullPolicy = pullPolicy
            self.command = command
            self.args = args
            self.workingDirectory = workingDirectory
            self.environment = environment
            self.resources = resources
            self.volumeMounts = volumeMounts
            self.hostPorts = hostPorts
        }
    }

    public var uid: String
    public var name: String
    public var namespace: String
    public var restartPolicy: RestartPolicy
    /// Run one after the other, each to success, before ``containers`` start.
    public var initContainers: [Container]
    public var containers: [Container]
    public var terminationGracePeriod: Duration
    /// `metadata.deletionTimestamp` is set: the pod is to be stopped and removed.
    public var deleting: Bool
    public var hostNetwork: Bool
    public var volumes: [PodVolume]
    /// Registry credentials from the pod's `imagePullSecrets`.
    public var pullCredentials: [RegistryCredentials] = []
    /// The sandbox's host name and domain; nil for the pod's name.
    public var hostname: PodHostname?
    /// The sandbox's resolv.conf (``PodDNS``); nil for the runtime's default.
    public var dns: SandboxConfiguration.DNS?

    public init(
        uid: String, name: String, namespace: String = "default", restartPolicy: RestartPolicy = .always,
        initContainers: [Container] = [], containers: [Container], terminationGracePeriod: Duration = .seconds(30),
        deleting: Bool = false, hostNetwork: Bool = false, volumes: [PodVolume] = []
    ) {
        self.uid = uid
        self.name = name
        self.namespace = namespace
        self.restartPolicy = restartPolicy
        self.initContainers = initContainers
        self.containers = containers
        self.terminationGracePeriod = terminationGracePeriod
        self.deleting = deleting
        self.hostNetwork = hostNetwork
        self.volumes = volumes
    }

    /// The node ports of every container, for the sandbox.
    public var hostPorts: [SandboxConfiguration.PortMapping] {
        (initContainers + containers).flatMap(\.hostPorts)
    }

    /// Reads a Pod object as the API serves it (defaults applied), taking what its environment
    /// and volumes refer to from `inputs`.
    public init(pod: JSON, inputs: PodInputs = PodInputs()) throws {
        let metadata = pod["metadata"], spec = pod["spec"]
        guard let uid = metadata["uid"].string, let name = metadata["name"].string else {
            throw FlotillaError(.badRequest, "pod has no metadata.uid or metadata.name")
        }
        // A deletion's own grace period (`kubectl delete --grace-period`) overrides the spec's.
        let grace = metadata["deletionGracePeriodSeconds"].int ?? spec["terminationGracePeriodSeconds"].int ?? 30
        self.init(
            uid: uid, name: name, namespace: metadata["namespace"].string ?? "default",
            restartPolicy: spec["restartPolicy"].string.flatMap(RestartPolicy.init) ?? .always,
            initContainers: try (spec["initContainers"].array ?? []).enumerated().map {
                try Container(json: $1, field: "spec.initContainers[\($0)]", pod: pod, inputs: inputs)
            },
            containers: try (spec["containers"].array ?? []).enumerated().map {
                try Container(json: $1, field: "spec.containers[\($0)]", pod: pod, inputs: inputs)
            },
            terminationGracePeriod: .seconds(max(grace, 0)), deleting: !metadata["deletionTimestamp"].isNull,
            hostNetwork: spec["hostNetwork"].bool ?? false, volumes: [])
        pullCredentials = PullSecrets.credentials(of: pod, inputs: inputs)
        hostname = PodHostname(pod: pod, clusterDomain: inputs.dns?.clusterNetwork?.domain)
        dns = inputs.dns?.configuration(for: pod)
        var failedVolumes: [String: String] = [:]
        for json in spec["volumes"].array ?? [] {
            guard var volume = PodVolume(json: json) else { continue }
            if case .persistentVolumeClaim(let claim) = volume.source {
                volume.source = ClaimedVolume.source(claim: claim, inputs: inputs)
            }
            if case .files(let kind, _, let inMemory) = volume.source {
                do {
                    volume.source = .files(kind: kind, files: try VolumeFiles.files(of: json, pod: pod, inputs: inputs), inMemory: inMemory)
                } catch let error as FlotillaError {
                    failedVolumes[volume.name] = "MountVolume.SetUp failed for volume \"\(volume.name)\": \(error.message)"
                }
            }
            volumes.append(volume)
        }
        for index in initContainers.indices { initContainers[index].failOnVolumes(failedVolumes) }
        for index in containers.indices { containers[index].failOnVolumes(failedVolumes) }
    }
}

extension PodDesign.Container {
    /// Reads one entry of `spec.containers` or `spec.initContainers` (named `field` in errors)
    /// of `pod`, resolving its environment from `inputs`, and `$(NAME)` in its command and args.
    init(json: JSON, field: String, pod: JSON, inputs: PodInputs) throws {
        guard let name = json["name"].string, let image = json["image"].string, !image.isEmpty else {
            throw FlotillaError(.badRequest, "\(field) needs a name and an image")
        }
        func strings(_ key: String) -> [String] { (json[key].array ?? []).compactMap(\.string) }
        let limits = json["resources"]["limits"], requests = json["resources"]["requests"]
        let defaultPolicy: PodDesign.PullPolicy = Self.tag(of: image) == "latest" ? .always : .ifNotPresent
        self.init(
            name: name, image: image, pullPolicy: json["imagePullPolicy"].string.flatMap(PodDesign.PullPolicy.init) ?? defaultPolicy,
            command: strings("command"), args: strings("args"), workingDirectory: json["workingDir"].string ?? "",
            environment: [],
            resources: ContainerResources(
                cpuRequestMillis: Quantity(json: requests["cpu"])?.milliValue, cpuLimitMillis: Quantity(json: limits["cpu"])?.milliValue,
                memoryLimitBytes: Quantity(json: limits["memory"])?.integerValue),
            volumeMounts: (json["volumeMounts"].array ?? []).compactMap(PodVolume.Mount.init(json:)),
            hostPorts: (json["ports"].array ?? []).compactMap { port in
                guard let hostPort = port["hostPort"].int, hostPort > 0, let containerPort = port["containerPort"].int else { return nil }
                return SandboxConfiguration.PortMapping(
                    transportProtocol: port["protocol"].string.flatMap(SandboxConfiguration.PortMapping.TransportProtocol.init) ?? .tcp,
                    containerPort: Int32(containerPort), hostPort: Int32(hostPort), hostIP: port["hostIP"].string ?? "")
            })
        environmentSpec = ["env": json["env"], "envFrom": json["envFrom"]]
        probes = ContainerProbes(container: json)
        postStart = LifecycleHook(json: json["lifecycle"]["postStart"], ports: json["ports"])
        preStop = LifecycleHook(json: json["lifecycle"]["preStop"], ports: json["ports"])
        stdin = json["stdin"].bool ?? false
        stdinOnce = json["stdinOnce"].bool ?? false
        tty = json["tty"].bool ?? false
        do {
            let environment = try ContainerEnvironment(container: json, pod: pod, inputs: inputs)
            self.environment = environment.variables
            podIPVariables = environment.podIPVariables
            command = command.map(environment.expand)
            args = args.map(environment.expand)
        } catch let error as FlotillaError {
            configurationError = error.message
        }
    }

    /// Marks the container unable to start when it mounts a volume whose files cannot be made.
    mutating func failOnVolumes(_ failures: [String: String]) {
        guard configurationError == nil, let mount = volumeMounts.first(where: { failures[$0.volume] != nil }) else { return }
        configurationError = failures[mount.volume]
    }

    /// The tag of an image reference: `latest` when it has neither tag nor digest.
    static func tag(of image: String) -> String {
        if image.contains("@") { return "" }
        let last = image.split(separator: "/").last ?? ""
        return last.lastIndex(of: ":").map { String(last[last.index(after: $0)...]) } ?? "latest"
    }
}
