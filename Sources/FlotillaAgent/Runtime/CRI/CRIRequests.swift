import FlotillaCRI

// The CRI messages the agent sends, built from its own configuration values.

extension Runtime_V1_PodSandboxConfig {
    init(_ sandbox: SandboxConfiguration) {
        self = .with { config in
            config.metadata = .with {
                $0.name = sandbox.podName
                $0.namespace = sandbox.podNamespace
                $0.uid = sandbox.podUID
                $0.attempt = sandbox.attempt
            }
            // A sandbox in the node's network shares its UTS namespace too: runc refuses a host name there.
            if !sandbox.hostNetwork { config.hostname = sandbox.hostname }
            config.logDirectory = sandbox.logDirectory
            if let dns = sandbox.dns {
                config.dnsConfig = .with {
                    $0.servers = dns.servers
                    $0.searches = dns.searches
                    $0.options = dns.options
                }
            }
            config.portMappings = sandbox.portMappings.map(Runtime_V1_PortMapping.init)
            config.labels = sandbox.labels
            config.annotations = sandbox.annotations
            config.linux = .with {
                $0.cgroupParent = sandbox.cgroupParent
                $0.sysctls = sandbox.sysctls
                $0.securityContext.namespaceOptions = Runtime_V1_NamespaceOption(sandbox)
            }
        }
    }
}

extension Runtime_V1_NamespaceOption {
    /// The namespaces of a sandbox and of each of its containers: the pod's network (or the
    /// node's) and IPC; its own process namespace per container unless the pod shares one.
    init(_ sandbox: SandboxConfiguration) {
        self = .with {
            $0.network = sandbox.hostNetwork ? .node : .pod
            $0.pid = sandbox.sharesProcessNamespace ? .pod : .container
            $0.ipc = .pod
        }
    }
}

extension Runtime_V1_PortMapping {
    init(_ mapping: SandboxConfiguration.PortMapping) {
        self = .with {
            switch mapping.transportProtocol {
            case .tcp: $0.protocol = .tcp
            case .udp: $0.protocol = .udp
            case .sctp: $0.protocol = .sctp
            }
            $0.containerPort = mapping.containerPort
            $0.hostPort = mapping.hostPort
            $0.hostIp = mapping.hostIP
        }
    }
}

extension Runtime_V1_ContainerConfig {
    init(_ container: ContainerConfiguration, sandbox: SandboxConfiguration) {
        self = .with { config in
            config.metadata = .with {
                $0.name = container.name
                $0.attempt = container.attempt
            }
            config.image.image = container.image
            config.command = container.command
            config.args = container.args
            config.workingDir = container.workingDirectory
            config.envs = container.environment.map { variable in
                .with {
                    $0.key = variable.name
                    $0.value = variable.value
                }
            }
            config.mounts = container.mounts.map(Runtime_V1_Mount.init)
            config.labels = container.labels
            config.annotations = container.annotations
            config.logPath = container.logPath
            config.stdin = container.stdin
            config.stdinOnce = container.stdinOnce
            config.tty = container.tty
            config.linux = .with {
                $0.resources = Runtime_V1_LinuxContainerResources(container.resources)
                $0.securityContext.namespaceOptions = Runtime_V1_NamespaceOption(sandbox)
            }
        }
    }
}

extension Runtime_V1_Mount {
    init(_ mount: ContainerConfiguration.Mount) {
        self = .with {
            $0.containerPath = mount.containerPath
            $0.hostPath = mount.hostPath
            $0.readonly = mount.readOnly
            switch mount.propagation {
            case .none: $0.propagation = .propagationPrivate
            case .hostToContainer: $0.propagation = .propagationHostToContainer
            case .bidirectional: $0.propagation = .propagationBidirectional
            }
        }
    }
}

extension Runtime_V1_LinuxContainerResources {
    init(_ resources: ContainerResources) {
        self = .with {
            $0.cpuShares = resources.cpuShares
            if let quota = resources.cpuQuota {
                $0.cpuQuota = quota
                $0.cpuPeriod = ContainerResources.cpuPeriod
            }
            $0.memoryLimitInBytes = resources.memoryLimitBytes ?? 0
            $0.oomScoreAdj = resources.oomScoreAdjustment
        }
    }
}

extension Runtime_V1_AuthConfig {
    /// The credentials as CRI takes them; containerd reads the server address as a URL and
    /// compares its host with the image's registry, so a bare `host:port` gets a scheme.
    init(_ credentials: RegistryCredentials) {
        self = .with {
            $0.username = credentials.username
            $0.password = credentials.password
            $0.auth = credentials.auth
            let address = credentials.serverAddress
            $0.serverAddress = address.isEmpty || address.contains("://") ? address : "https://" + address
            $0.identityToken = credentials.identityToken
            $0.registryToken = credentials.registryToken
        }
    }
}
