// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Pods, their spec and status, and pod templates.
    static let podDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Pod", "A pod: a group of containers that run together on one node.",
            gvk: [GroupVersionKind("", "v1", "Pod")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Pod."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.PodSpec"), "What the pod should run."),
                Field("status", 3, .ref("io.k8s.api.core.v1.PodStatus"), "The pod's observed state; written by the system."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodSpec", "What a pod should run and how.",
            fields: [
                Field("volumes", 1, .array(.ref("io.k8s.api.core.v1.Volume")), "Volumes the containers can mount.", patchStrategy: "merge,retainKeys", patchMergeKey: "name"),
                Field("initContainers", 20, .array(.ref("io.k8s.api.core.v1.Container")), "Containers run one after another, to completion, before the others start.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("containers", 2, .array(.ref("io.k8s.api.core.v1.Container")), "The containers of the pod; at least one.", required: true, patchStrategy: "merge", patchMergeKey: "name"),
                Field("ephemeralContainers", 34, .array(.ref("io.k8s.api.core.v1.EphemeralContainer")), "Temporary containers added to the running pod.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("restartPolicy", 3, .string(), "When containers are restarted: Always, OnFailure or Never."),
                Field("terminationGracePeriodSeconds", 4, .int64, "Seconds given to the pod to stop gracefully before it is killed.", presence: .pointer),
                Field("activeDeadlineSeconds", 5, .int64, "Seconds the pod may be active before it is stopped.", presence: .pointer),
                Field("dnsPolicy", 6, .string(), "How the pod's DNS is set up: ClusterFirst, ClusterFirstWithHostNet, Default or None."),
                Field("nodeSelector", 7, .map(.string()), "Node labels a node must have for the pod to be scheduled there."),
                Field("serviceAccountName", 8, .string(), "The service account the pod runs as."),
                Field("serviceAccount", 9, .string(), "Deprecated alias of serviceAccountName."),
                Field("automountServiceAccountToken", 21, .boolean, "Whether the service account token is mounted.", presence: .pointer),
                Field("nodeName", 10, .string(), "The node the pod is bound to; set by the scheduler."),
                Field("hostNetwork", 11, .boolean, "Whether the pod uses the node's network namespace."),
                Field("hostPID", 12, .boolean, "Whether the pod uses the node's process namespace."),
                Field("hostIPC", 13, .boolean, "Whether the pod uses the node's IPC namespace."),
                Field("shareProcessNamespace", 27, .boolean, "Whether the containers share one process namespace.", presence: .pointer),
                Field("securityContext", 14, .ref("io.k8s.api.core.v1.PodSecurityContext"), "Security settings of the whole pod."),
                Field("imagePullSecrets", 15, .array(.ref("io.k8s.api.core.v1.LocalObjectReference")), "Secrets holding credentials for pulling the pod's images.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("hostname", 16, .string(), "The pod's host name; the pod name when empty."),
                Field("subdomain", 17, .string(), "A subdomain that, with hostname, gives the pod a DNS name."),
                Field("affinity", 18, .ref("io.k8s.api.core.v1.Affinity"), "Scheduling affinity and anti-affinity rules."),
                Field("schedulerName", 19, .string(), "The scheduler that places the pod."),
                Field("tolerations", 22, .array(.ref("io.k8s.api.core.v1.Toleration")), "The taints the pod tolerates."),
                Field("hostAliases", 23, .array(.ref("io.k8s.api.core.v1.HostAlias")), "Entries added to the pod's /etc/hosts.", patchStrategy: "merge", patchMergeKey: "ip"),
                Field("priorityClassName", 24, .string(), "The PriorityClass that sets the pod's priority."),
                Field("priority", 25, .int32, "The pod's priority; higher is more important.", presence: .pointer),
                Field("dnsConfig", 26, .ref("io.k8s.api.core.v1.PodDNSConfig"), "DNS settings added to those from the DNS policy."),
                Field("readinessGates", 28, .array(.ref("io.k8s.api.core.v1.PodReadinessGate")), "Extra pod conditions that must be true for the pod to be ready."),
                Field("runtimeClassName", 29, .string(), "The RuntimeClass used to run the pod.", presence: .pointer),
                Field("enableServiceLinks", 30, .boolean, "Whether service addresses are given to containers as environment variables.", presence: .pointer),
                Field("preemptionPolicy", 31, .string(), "Whether the pod may preempt lower-priority pods: PreemptLowerPriority or Never.", presence: .pointer),
                Field("overhead", 32, .map(.quantity), "Resources the pod's sandbox uses beyond its containers."),
                Field("topologySpreadConstraints", 33, .array(.ref("io.k8s.api.core.v1.TopologySpreadConstraint")), "How the pod's replicas are spread over topology domains.", patchStrategy: "merge", patchMergeKey: "topologyKey", listType: "map", listMapKeys: ["topologyKey", "whenUnsatisfiable"]),
                Field("setHostnameAsFQDN", 35, .boolean, "Whether the pod's host name is its fully qualified domain name.", presence: .pointer),
                Field("os", 36, .ref("io.k8s.api.core.v1.PodOS"), "The operating system the pod needs."),
                Field("hostUsers", 37, .boolean, "Whether the pod uses the node's user namespace.", presence: .pointer),
                Field("schedulingGates", 38, .array(.ref("io.k8s.api.core.v1.PodSchedulingGate")), "Gates that must be removed before the pod is scheduled.", patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"]),
                Field("resourceClaims", 39, .array(.ref("io.k8s.api.core.v1.PodResourceClaim")), "Resource claims the pod's containers may use.", patchStrategy: "merge,retainKeys", patchMergeKey: "name", listType: "map", listMapKeys: ["name"]),
                Field("resources", 40, .ref("io.k8s.api.core.v1.ResourceRequirements"), "Resources of the whole pod, shared by its containers."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodStatus", "The observed state of a pod.",
            fields: [
                Field("phase", 1, .string(), "Pending, Running, Succeeded, Failed or Unknown."),
                Field("conditions", 2, .array(.ref("io.k8s.api.core.v1.PodCondition")), "The latest observations of the pod.", patchStrategy: "merge", patchMergeKey: "type"),
                Field("message", 3, .string(), "Why the pod is in this state."),
                Field("reason", 4, .string(), "A brief word on why the pod is in this state, e.g. Evicted."),
                Field("nominatedNodeName", 11, .string(), "The node the pod may run on once preemption completes."),
                Field("hostIP", 5, .string(), "The primary IP address of the pod's node."),
                Field("hostIPs", 16, .array(.ref("io.k8s.api.core.v1.HostIP")), "The IP addresses of the pod's node.", listType: "atomic"),
                Field("podIP", 6, .string(), "The pod's primary IP address."),
                Field("podIPs", 12, .array(.ref("io.k8s.api.core.v1.PodIP")), "The pod's IP addresses, one per IP family."),
                Field("startTime", 7, .time, "When the node accepted the pod."),
                Field("initContainerStatuses", 10, .array(.ref("io.k8s.api.core.v1.ContainerStatus")), "The state of each init container."),
                Field("containerStatuses", 8, .array(.ref("io.k8s.api.core.v1.ContainerStatus")), "The state of each container."),
                Field("qosClass", 9, .string(), "The pod's quality of service class: Guaranteed, Burstable or BestEffort."),
                Field("ephemeralContainerStatuses", 13, .array(.ref("io.k8s.api.core.v1.ContainerStatus")), "The state of each ephemeral container."),
                Field("resize", 14, .string(), "The state of a requested resize of the pod's resources."),
                Field("resourceClaimStatuses", 15, .array(.ref("io.k8s.api.core.v1.PodResourceClaimStatus")), "The ResourceClaims made for the pod.", patchStrategy: "merge,retainKeys", patchMergeKey: "name", listType: "map", listMapKeys: ["name"]),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodCondition", "One observed condition of a pod.",
            fields: [
                Field("type", 1, .string(), "The kind of condition, e.g. Ready or PodScheduled.", required: true),
                Field("status", 2, .string(), "True, False or Unknown.", required: true),
                Field("lastProbeTime", 3, .time, "When the condition was last checked."),
                Field("lastTransitionTime", 4, .time, "When the condition last changed status."),
                Field("reason", 5, .string(), "A machine-readable word explaining the state."),
                Field("message", 6, .string(), "A human-readable explanation of the state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.HostIP", "An IP address of the pod's node.",
            fields: [
                Field("ip", 1, .string(), "The IP address.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodIP", "An IP address of the pod.",
            fields: [
                Field("ip", 1, .string(), "The IP address.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodResourceClaimStatus", "The ResourceClaim made for one of the pod's claims.",
            fields: [
                Field("name", 1, .string(), "The claim's name within the pod.", required: true),
                Field("resourceClaimName", 2, .string(), "The name of the ResourceClaim made for it.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodTemplate", "A stored pod template.",
            gvk: [GroupVersionKind("", "v1", "PodTemplate")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PodTemplate."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("template", 2, .ref("io.k8s.api.core.v1.PodTemplateSpec"), "The template's pods."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodTemplateSpec", "The pods a controller creates: their metadata and spec.",
            fields: [
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "Labels and annotations of the pods."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.PodSpec"), "The spec of the pods."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodSecurityContext", "Security settings applied to all containers of a pod.",
            fields: [
                Field("seLinuxOptions", 1, .ref("io.k8s.api.core.v1.SELinuxOptions"), "The SELinux context to apply."),
                Field("windowsOptions", 8, .ref("io.k8s.api.core.v1.WindowsSecurityContextOptions"), "Windows-specific settings."),
                Field("runAsUser", 2, .int64, "The user ID the process runs as.", presence: .pointer),
                Field("runAsGroup", 6, .int64, "The group ID the process runs as.", presence: .pointer),
                Field("runAsNonRoot", 3, .boolean, "Whether the container must run as a non-root user.", presence: .pointer),
                Field("supplementalGroups", 4, .array(.int64), "Extra group IDs for the process."),
                Field("supplementalGroupsPolicy", 12, .string(), "How supplemental groups are computed: Merge or Strict.", presence: .pointer),
                Field("fsGroup", 5, .int64, "A group that owns the pod's volumes and is added to every container's processes.", presence: .pointer),
                Field("sysctls", 7, .array(.ref("io.k8s.api.core.v1.Sysctl")), "Namespaced kernel parameters set for the pod."),
                Field("fsGroupChangePolicy", 9, .string(), "When volume ownership is changed to fsGroup: OnRootMismatch or Always.", presence: .pointer),
                Field("seccompProfile", 10, .ref("io.k8s.api.core.v1.SeccompProfile"), "The seccomp profile to apply."),
                Field("appArmorProfile", 11, .ref("io.k8s.api.core.v1.AppArmorProfile"), "The AppArmor profile to apply."),
                Field("seLinuxChangePolicy", 13, .string(), "How the SELinux label is applied to volumes: Recursive or MountOption.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.Sysctl", "A kernel parameter to set.",
            fields: [
                Field("name", 1, .string(), "The name of the kernel parameter.", required: true),
                Field("value", 2, .string(), "The value to set.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodDNSConfig", "DNS settings of a pod added to those from its DNS policy.",
            fields: [
                Field("nameservers", 1, .array(.string()), "DNS server addresses."),
                Field("searches", 2, .array(.string()), "DNS search domains."),
                Field("options", 3, .array(.ref("io.k8s.api.core.v1.PodDNSConfigOption")), "Extra driver-specific options."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodDNSConfigOption", "A resolver option.",
            fields: [
                Field("name", 1, .string(), "The option's name."),
                Field("value", 2, .string(), "The option's value.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodReadinessGate", "A condition that must be true for the pod to be ready.",
            fields: [
                Field("conditionType", 1, .string(), "The pod condition type that must be true.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.HostAlias", "An entry added to the pod's /etc/hosts.",
            fields: [
                Field("ip", 1, .string(), "The IP address of the entry.", required: true),
                Field("hostnames", 2, .array(.string()), "Host names for the IP address."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodOS", "The operating system a pod needs.",
            fields: [
                Field("name", 1, .string(), "The operating system: linux or windows.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodSchedulingGate", "A gate that holds the pod back from scheduling until removed.",
            fields: [
                Field("name", 1, .string(), "The name of the gate.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodResourceClaim", "A resource claim a pod uses.",
            fields: [
                Field("name", 1, .string(), "The claim's name within the pod.", required: true),
                Field("resourceClaimName", 3, .string(), "The name of an existing ResourceClaim.", presence: .pointer),
                Field("resourceClaimTemplateName", 4, .string(), "The name of a ResourceClaimTemplate to create a claim from.", presence: .pointer),
            ]),
    ]
}
