// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Nodes, their spec and status.
    static let nodeDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Node", "A node: a machine that runs pods.",
            gvk: [GroupVersionKind("", "v1", "Node")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Node."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.NodeSpec"), "How the node is configured."),
                Field("status", 3, .ref("io.k8s.api.core.v1.NodeStatus"), "The node's observed state; reported by its agent."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeSpec", "What a node should be.",
            fields: [
                Field("podCIDR", 1, .string(), "The pod IP range assigned to the node."),
                Field("podCIDRs", 7, .array(.string()), "The pod IP ranges assigned to the node, one per IP family.", listType: "set"),
                Field("providerID", 3, .string(), "The node's identifier from its cloud provider."),
                Field("unschedulable", 4, .boolean, "Whether new pods may not be scheduled on the node."),
                Field("taints", 5, .array(.ref("io.k8s.api.core.v1.Taint")), "Taints that repel pods that do not tolerate them."),
                Field("configSource", 6, .ref("io.k8s.api.core.v1.NodeConfigSource"), "Deprecated dynamic kubelet configuration source."),
                Field("externalID", 2, .string(), "Deprecated; not used."),
            ]),
        Definition(
            "io.k8s.api.core.v1.Taint", "A taint that repels pods that do not tolerate it.",
            fields: [
                Field("key", 1, .string(), "The taint key.", required: true),
                Field("value", 2, .string(), "The taint value."),
                Field("effect", 3, .string(), "What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute.", required: true),
                Field("timeAdded", 4, .time, "When the taint was added."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeConfigSource", "Deprecated dynamic configuration source of a node.",
            fields: [
                Field("configMap", 2, .ref("io.k8s.api.core.v1.ConfigMapNodeConfigSource"), "The config map holding the configuration."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapNodeConfigSource", "A config map holding node configuration.",
            fields: [
                Field("namespace", 1, .string(), "The namespace of the config map.", required: true),
                Field("name", 2, .string(), "The name of the config map.", required: true),
                Field("uid", 3, .string(), "The uid of the config map."),
                Field("resourceVersion", 4, .string(), "The resource version of the config map."),
                Field("kubeletConfigKey", 5, .string(), "The key of the config map holding the kubelet configuration.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeStatus", "The observed state of a node.",
            fields: [
                Field("capacity", 1, .map(.quantity), "The total resources of the node."),
                Field("allocatable", 2, .map(.quantity), "The amount of each resource available to pods."),
                Field("phase", 3, .string(), "Deprecated: the node's lifecycle phase."),
                Field("conditions", 4, .array(.ref("io.k8s.api.core.v1.NodeCondition")), "The latest observations of the node, e.g. Ready.", patchStrategy: "merge", patchMergeKey: "type"),
                Field("addresses", 5, .array(.ref("io.k8s.api.core.v1.NodeAddress")), "The node's addresses.", patchStrategy: "merge", patchMergeKey: "type"),
                Field("daemonEndpoints", 6, .ref("io.k8s.api.core.v1.NodeDaemonEndpoints"), "Endpoints of the daemons on the node."),
                Field("nodeInfo", 7, .ref("io.k8s.api.core.v1.NodeSystemInfo"), "Facts about the node's system."),
                Field("images", 8, .array(.ref("io.k8s.api.core.v1.ContainerImage")), "Images present on the node."),
                Field("volumesInUse", 9, .array(.string()), "Volumes in use (mounted) on the node."),
                Field("volumesAttached", 10, .array(.ref("io.k8s.api.core.v1.AttachedVolume")), "Volumes attached to the node."),
                Field("config", 11, .ref("io.k8s.api.core.v1.NodeConfigStatus"), "The status of the node's dynamic configuration."),
                Field("runtimeHandlers", 12, .array(.ref("io.k8s.api.core.v1.NodeRuntimeHandler")), "Container runtime handlers and their features.", listType: "atomic"),
                Field("features", 13, .ref("io.k8s.api.core.v1.NodeFeatures"), "Features the node supports."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeCondition", "One observed condition of a node.",
            fields: [
                Field("type", 1, .string(), "The kind of condition, e.g. Ready or MemoryPressure.", required: true),
                Field("status", 2, .string(), "True, False or Unknown.", required: true),
                Field("lastHeartbeatTime", 3, .time, "When the node last reported this condition."),
                Field("lastTransitionTime", 4, .time, "When the condition last changed status."),
                Field("reason", 5, .string(), "A machine-readable word explaining the state."),
                Field("message", 6, .string(), "A human-readable explanation of the state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeAddress", "One address of a node.",
            fields: [
                Field("type", 1, .string(), "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.", required: true),
                Field("address", 2, .string(), "The address.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeDaemonEndpoints", "Ports of the daemons on a node.",
            fields: [
                Field("kubeletEndpoint", 1, .ref("io.k8s.api.core.v1.DaemonEndpoint"), "The port the kubelet listens on."),
            ]),
        Definition(
            "io.k8s.api.core.v1.DaemonEndpoint", "The port of one daemon.",
            fields: [
                Field("Port", 1, .int32, "The port number.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeSystemInfo", "Facts about a node's system.",
            fields: [
                Field("machineID", 1, .string(), "The machine ID reported by the node.", required: true),
                Field("systemUUID", 2, .string(), "The system UUID reported by the node.", required: true),
                Field("bootID", 3, .string(), "The boot ID of the node.", required: true),
                Field("kernelVersion", 4, .string(), "The kernel version.", required: true),
                Field("osImage", 5, .string(), "The operating system image.", required: true),
                Field("containerRuntimeVersion", 6, .string(), "The container runtime and its version, e.g. containerd://1.7.", required: true),
                Field("kubeletVersion", 7, .string(), "The node agent's version.", required: true),
                Field("kubeProxyVersion", 8, .string(), "Deprecated: the service proxy's version.", required: true),
                Field("operatingSystem", 9, .string(), "The operating system, e.g. linux.", required: true),
                Field("architecture", 10, .string(), "The CPU architecture, e.g. amd64.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerImage", "An image present on a node.",
            fields: [
                Field("names", 1, .array(.string()), "The names and digests of the image."),
                Field("sizeBytes", 2, .int64, "The size of the image in bytes."),
            ]),
        Definition(
            "io.k8s.api.core.v1.AttachedVolume", "A volume attached to a node.",
            fields: [
                Field("name", 1, .string(), "The name of the attached volume.", required: true),
                Field("devicePath", 2, .string(), "Where the volume is available on the node.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeConfigStatus", "Status of the node's dynamic configuration.",
            fields: [
                Field("assigned", 1, .ref("io.k8s.api.core.v1.NodeConfigSource"), "The configuration the node was asked to use."),
                Field("active", 2, .ref("io.k8s.api.core.v1.NodeConfigSource"), "The configuration the node is using."),
                Field("lastKnownGood", 3, .ref("io.k8s.api.core.v1.NodeConfigSource"), "The configuration the node falls back to."),
                Field("error", 4, .string(), "The error, if any."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeRuntimeHandler", "A container runtime handler of a node.",
            fields: [
                Field("name", 1, .string(), "The handler's name; empty for the default handler.", presence: .alwaysSerialized),
                Field("features", 2, .ref("io.k8s.api.core.v1.NodeRuntimeHandlerFeatures"), "The features the handler supports."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeRuntimeHandlerFeatures", "Features a runtime handler supports.",
            fields: [
                Field("recursiveReadOnlyMounts", 1, .boolean, "Whether the handler supports recursive read-only mounts.", presence: .pointer),
                Field("userNamespaces", 2, .boolean, "Whether the handler supports user namespaces.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeFeatures", "Features a node supports.",
            fields: [
                Field("supplementalGroupsPolicy", 1, .boolean, "Whether the node supports supplementalGroupsPolicy.", presence: .pointer),
            ]),
    ]
}
