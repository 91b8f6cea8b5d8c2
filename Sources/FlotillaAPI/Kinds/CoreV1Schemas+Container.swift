// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Containers: ports, environment, resources, mounts and security settings.
    static let containerDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Container", "One container of a pod: its image, command, environment, resources and probes.",
            fields: [
                Field("name", 1, .string(), "The container's name, a DNS label unique within the pod.", required: true),
                Field("image", 2, .string(), "The container image to run."),
                Field("command", 3, .array(.string()), "The command to run, not in a shell."),
                Field("args", 4, .array(.string()), "Arguments to the command."),
                Field("workingDir", 5, .string(), "The working directory of the command."),
                Field("ports", 6, .array(.ref("io.k8s.api.core.v1.ContainerPort")), "Ports the container listens on; informational.", patchStrategy: "merge", patchMergeKey: "containerPort", listType: "map", listMapKeys: ["containerPort", "protocol"]),
                Field("envFrom", 19, .array(.ref("io.k8s.api.core.v1.EnvFromSource")), "Sources whose keys become environment variables."),
                Field("env", 7, .array(.ref("io.k8s.api.core.v1.EnvVar")), "Environment variables to set in the container.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("resources", 8, .ref("io.k8s.api.core.v1.ResourceRequirements"), "Compute resources the container requests and is limited to."),
                Field("resizePolicy", 23, .array(.ref("io.k8s.api.core.v1.ContainerResizePolicy")), "How each resource may be resized in place.", listType: "atomic"),
                Field("restartPolicy", 24, .string(), "Always makes an init container a sidecar that keeps running.", presence: .pointer),
                Field("volumeMounts", 9, .array(.ref("io.k8s.api.core.v1.VolumeMount")), "Volumes mounted into the container's filesystem.", patchStrategy: "merge", patchMergeKey: "mountPath"),
                Field("volumeDevices", 21, .array(.ref("io.k8s.api.core.v1.VolumeDevice")), "Block devices made available to the container.", patchStrategy: "merge", patchMergeKey: "devicePath"),
                Field("livenessProbe", 10, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is alive; it is restarted when the check fails."),
                Field("readinessProbe", 11, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is ready for traffic."),
                Field("startupProbe", 22, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container has started; other probes wait for it."),
                Field("lifecycle", 12, .ref("io.k8s.api.core.v1.Lifecycle"), "Actions the system runs when the container starts and stops."),
                Field("terminationMessagePath", 13, .string(), "The file the container may write its termination message to."),
                Field("terminationMessagePolicy", 20, .string(), "Where the termination message comes from: File or FallbackToLogsOnError."),
                Field("imagePullPolicy", 14, .string(), "When to pull the image: Always, Never or IfNotPresent."),
                Field("securityContext", 15, .ref("io.k8s.api.core.v1.SecurityContext"), "Security settings of the container."),
                Field("stdin", 16, .boolean, "Whether the container gets an open stdin."),
                Field("stdinOnce", 17, .boolean, "Whether stdin closes after the first attach session ends."),
                Field("tty", 18, .boolean, "Whether the container gets a terminal."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EphemeralContainer", "A temporary container added to a running pod for debugging.",
            fields: [
                Field("name", 0, .string(), "The container's name, unique among all the pod's containers.", required: true),
                Field("image", 0, .string(), "The container image to run."),
                Field("command", 0, .array(.string()), "The command to run, not in a shell."),
                Field("args", 0, .array(.string()), "Arguments to the command."),
                Field("workingDir", 0, .string(), "The working directory of the command."),
                Field("ports", 0, .array(.ref("io.k8s.api.core.v1.ContainerPort")), "Not allowed for ephemeral containers.", patchStrategy: "merge", patchMergeKey: "containerPort", listType: "map", listMapKeys: ["containerPort", "protocol"]),
                Field("envFrom", 0, .array(.ref("io.k8s.api.core.v1.EnvFromSource")), "Sources whose keys become environment variables."),
                Field("env", 0, .array(.ref("io.k8s.api.core.v1.EnvVar")), "Environment variables to set in the container.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("resources", 0, .ref("io.k8s.api.core.v1.ResourceRequirements"), "Not allowed for ephemeral containers."),
                Field("resizePolicy", 0, .array(.ref("io.k8s.api.core.v1.ContainerResizePolicy")), "How each resource may be resized in place.", listType: "atomic"),
                Field("restartPolicy", 0, .string(), "Not allowed for ephemeral containers.", presence: .pointer),
                Field("volumeMounts", 0, .array(.ref("io.k8s.api.core.v1.VolumeMount")), "Volumes mounted into the container's filesystem.", patchStrategy: "merge", patchMergeKey: "mountPath"),
                Field("volumeDevices", 0, .array(.ref("io.k8s.api.core.v1.VolumeDevice")), "Block devices made available to the container.", patchStrategy: "merge", patchMergeKey: "devicePath"),
                Field("livenessProbe", 0, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is alive; it is restarted when the check fails."),
                Field("readinessProbe", 0, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is ready for traffic."),
                Field("startupProbe", 0, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container has started; other probes wait for it."),
                Field("lifecycle", 0, .ref("io.k8s.api.core.v1.Lifecycle"), "Actions the system runs when the container starts and stops."),
                Field("terminationMessagePath", 0, .string(), "The file the container may write its termination message to."),
                Field("terminationMessagePolicy", 0, .string(), "Where the termination message comes from: File or FallbackToLogsOnError."),
                Field("imagePullPolicy", 0, .string(), "When to pull the image: Always, Never or IfNotPresent."),
                Field("securityContext", 0, .ref("io.k8s.api.core.v1.SecurityContext"), "Security settings of the container."),
                Field("stdin", 0, .boolean, "Whether the container gets an open stdin."),
                Field("stdinOnce", 0, .boolean, "Whether stdin closes after the first attach session ends."),
                Field("tty", 0, .boolean, "Whether the container gets a terminal."),
                Field("targetContainerName", 2, .string(), "The container whose namespaces the ephemeral container joins."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EphemeralContainerCommon", "The container fields of an ephemeral container. Inlined into EphemeralContainer in JSON.",
            fields: [
                Field("name", 1, .string(), "The container's name, unique among all the pod's containers.", required: true),
                Field("image", 2, .string(), "The container image to run."),
                Field("command", 3, .array(.string()), "The command to run, not in a shell."),
                Field("args", 4, .array(.string()), "Arguments to the command."),
                Field("workingDir", 5, .string(), "The working directory of the command."),
                Field("ports", 6, .array(.ref("io.k8s.api.core.v1.ContainerPort")), "Not allowed for ephemeral containers.", patchStrategy: "merge", patchMergeKey: "containerPort", listType: "map", listMapKeys: ["containerPort", "protocol"]),
                Field("envFrom", 19, .array(.ref("io.k8s.api.core.v1.EnvFromSource")), "Sources whose keys become environment variables."),
                Field("env", 7, .array(.ref("io.k8s.api.core.v1.EnvVar")), "Environment variables to set in the container.", patchStrategy: "merge", patchMergeKey: "name"),
                Field("resources", 8, .ref("io.k8s.api.core.v1.ResourceRequirements"), "Not allowed for ephemeral containers."),
                Field("resizePolicy", 23, .array(.ref("io.k8s.api.core.v1.ContainerResizePolicy")), "How each resource may be resized in place.", listType: "atomic"),
                Field("restartPolicy", 24, .string(), "Not allowed for ephemeral containers.", presence: .pointer),
                Field("volumeMounts", 9, .array(.ref("io.k8s.api.core.v1.VolumeMount")), "Volumes mounted into the container's filesystem.", patchStrategy: "merge", patchMergeKey: "mountPath"),
                Field("volumeDevices", 21, .array(.ref("io.k8s.api.core.v1.VolumeDevice")), "Block devices made available to the container.", patchStrategy: "merge", patchMergeKey: "devicePath"),
                Field("livenessProbe", 10, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is alive; it is restarted when the check fails."),
                Field("readinessProbe", 11, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container is ready for traffic."),
                Field("startupProbe", 22, .ref("io.k8s.api.core.v1.Probe"), "Checks whether the container has started; other probes wait for it."),
                Field("lifecycle", 12, .ref("io.k8s.api.core.v1.Lifecycle"), "Actions the system runs when the container starts and stops."),
                Field("terminationMessagePath", 13, .string(), "The file the container may write its termination message to."),
                Field("terminationMessagePolicy", 20, .string(), "Where the termination message comes from: File or FallbackToLogsOnError."),
                Field("imagePullPolicy", 14, .string(), "When to pull the image: Always, Never or IfNotPresent."),
                Field("securityContext", 15, .ref("io.k8s.api.core.v1.SecurityContext"), "Security settings of the container."),
                Field("stdin", 16, .boolean, "Whether the container gets an open stdin."),
                Field("stdinOnce", 17, .boolean, "Whether stdin closes after the first attach session ends."),
                Field("tty", 18, .boolean, "Whether the container gets a terminal."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerPort", "A network port of a container.",
            fields: [
                Field("name", 1, .string(), "A name for the port, an IANA service name unique within the pod."),
                Field("hostPort", 2, .int32, "The port on the host the container port is exposed on."),
                Field("containerPort", 3, .int32, "The port number in the container's IP address.", required: true),
                Field("protocol", 4, .string(), "The protocol: TCP, UDP or SCTP; TCP by default."),
                Field("hostIP", 5, .string(), "The host IP address to bind the port to."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EnvFromSource", "A config map or secret whose keys become environment variables.",
            fields: [
                Field("prefix", 1, .string(), "A prefix added to every variable name."),
                Field("configMapRef", 2, .ref("io.k8s.api.core.v1.ConfigMapEnvSource"), "The config map to read."),
                Field("secretRef", 3, .ref("io.k8s.api.core.v1.SecretEnvSource"), "The secret to read."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapEnvSource", "The config map an envFrom entry reads.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("optional", 2, .boolean, "Whether the config map may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretEnvSource", "The secret an envFrom entry reads.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("optional", 2, .boolean, "Whether the secret may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.EnvVar", "An environment variable of a container.",
            fields: [
                Field("name", 1, .string(), "The variable's name.", required: true),
                Field("value", 2, .string(), "The variable's value; $(VAR) references are expanded."),
                Field("valueFrom", 3, .ref("io.k8s.api.core.v1.EnvVarSource"), "Where the value comes from, when value is not given."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EnvVarSource", "Where an environment variable's value comes from.",
            fields: [
                Field("fieldRef", 1, .ref("io.k8s.api.core.v1.ObjectFieldSelector"), "A field of the pod."),
                Field("resourceFieldRef", 2, .ref("io.k8s.api.core.v1.ResourceFieldSelector"), "A resource limit or request of a container."),
                Field("configMapKeyRef", 3, .ref("io.k8s.api.core.v1.ConfigMapKeySelector"), "A key of a config map."),
                Field("secretKeyRef", 4, .ref("io.k8s.api.core.v1.SecretKeySelector"), "A key of a secret."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapKeySelector", "Selects one key of a config map.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("key", 2, .string(), "The key to select.", required: true),
                Field("optional", 3, .boolean, "Whether the config map or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretKeySelector", "Selects one key of a secret.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("key", 2, .string(), "The key to select.", required: true),
                Field("optional", 3, .boolean, "Whether the secret or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ObjectFieldSelector", "Selects a field of the pod.",
            fields: [
                Field("apiVersion", 1, .string(), "The API version the field path is written in; v1 by default."),
                Field("fieldPath", 2, .string(), "The path of the field, e.g. metadata.name.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceFieldSelector", "Selects a resource limit or request of a container.",
            fields: [
                Field("containerName", 1, .string(), "The container whose resources are read; needed in volumes."),
                Field("resource", 2, .string(), "The resource to expose, e.g. limits.cpu.", required: true),
                Field("divisor", 3, .quantity, "The unit the value is given in; 1 by default."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceRequirements", "Compute resources a container requests and is limited to.",
            fields: [
                Field("limits", 1, .map(.quantity), "The most of each resource the container may use."),
                Field("requests", 2, .map(.quantity), "The amount of each resource the container needs; used for scheduling."),
                Field("claims", 3, .array(.ref("io.k8s.api.core.v1.ResourceClaim")), "Resource claims of the pod this container uses."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceClaim", "A reference to one of the pod's resource claims.",
            fields: [
                Field("name", 1, .string(), "The name of a claim in the pod's resourceClaims.", required: true),
                Field("request", 2, .string(), "The request within the claim to use; the whole claim when empty."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerResizePolicy", "How one resource of a container is resized.",
            fields: [
                Field("resourceName", 1, .string(), "The name of the resource.", required: true),
                Field("restartPolicy", 2, .string(), "Whether resizing restarts the container: NotRequired or RestartContainer.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeMount", "Mounts a volume into a container.",
            fields: [
                Field("name", 1, .string(), "The name of the volume to mount.", required: true),
                Field("readOnly", 2, .boolean, "Whether the mount is read-only."),
                Field("recursiveReadOnly", 7, .string(), "Whether a read-only mount is also read-only in submounts.", presence: .pointer),
                Field("mountPath", 3, .string(), "The path in the container where the volume is mounted.", required: true),
                Field("subPath", 4, .string(), "A path within the volume to mount instead of its root."),
                Field("mountPropagation", 5, .string(), "How mounts propagate between host and container.", presence: .pointer),
                Field("subPathExpr", 6, .string(), "Like subPath, with $(VAR) references expanded from the environment."),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeDevice", "Maps a raw block volume into a container.",
            fields: [
                Field("name", 1, .string(), "The name of the claim-backed volume.", required: true),
                Field("devicePath", 2, .string(), "The path in the container where the device appears.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecurityContext", "Security settings of a container; they override the pod's.",
            fields: [
                Field("capabilities", 1, .ref("io.k8s.api.core.v1.Capabilities"), "POSIX capabilities to add or drop."),
                Field("privileged", 2, .boolean, "Whether the container runs as privileged, like root on the host.", presence: .pointer),
                Field("seLinuxOptions", 3, .ref("io.k8s.api.core.v1.SELinuxOptions"), "The SELinux context to apply."),
                Field("windowsOptions", 10, .ref("io.k8s.api.core.v1.WindowsSecurityContextOptions"), "Windows-specific settings."),
                Field("runAsUser", 4, .int64, "The user ID the process runs as.", presence: .pointer),
                Field("runAsGroup", 8, .int64, "The group ID the process runs as.", presence: .pointer),
                Field("runAsNonRoot", 5, .boolean, "Whether the container must run as a non-root user.", presence: .pointer),
                Field("readOnlyRootFilesystem", 6, .boolean, "Whether the container's root filesystem is read-only.", presence: .pointer),
                Field("allowPrivilegeEscalation", 7, .boolean, "Whether a process may gain more privileges than its parent.", presence: .pointer),
                Field("procMount", 9, .string(), "The kind of /proc mount: Default or Unmasked.", presence: .pointer),
                Field("seccompProfile", 11, .ref("io.k8s.api.core.v1.SeccompProfile"), "The seccomp profile to apply."),
                Field("appArmorProfile", 12, .ref("io.k8s.api.core.v1.AppArmorProfile"), "The AppArmor profile to apply."),
            ]),
        Definition(
            "io.k8s.api.core.v1.Capabilities", "POSIX capabilities added to or dropped from a container.",
            fields: [
                Field("add", 1, .array(.string()), "Capabilities to add."),
                Field("drop", 2, .array(.string()), "Capabilities to drop."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SELinuxOptions", "An SELinux context.",
            fields: [
                Field("user", 1, .string(), "The SELinux user."),
                Field("role", 2, .string(), "The SELinux role."),
                Field("type", 3, .string(), "The SELinux type."),
                Field("level", 4, .string(), "The SELinux level."),
            ]),
        Definition(
            "io.k8s.api.core.v1.WindowsSecurityContextOptions", "Windows-specific security settings.",
            fields: [
                Field("gmsaCredentialSpecName", 1, .string(), "The name of the GMSA credential spec to use.", presence: .pointer),
                Field("gmsaCredentialSpec", 2, .string(), "The GMSA credential spec content.", presence: .pointer),
                Field("runAsUserName", 3, .string(), "The Windows user name the entrypoint runs as.", presence: .pointer),
                Field("hostProcess", 4, .boolean, "Whether the container runs as a Windows host process.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.SeccompProfile", "A seccomp profile.",
            fields: [
                Field("type", 1, .string(), "RuntimeDefault, Unconfined or Localhost.", required: true),
                Field("localhostProfile", 2, .string(), "The profile file on the node, for type Localhost.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.AppArmorProfile", "An AppArmor profile.",
            fields: [
                Field("type", 1, .string(), "RuntimeDefault, Unconfined or Localhost.", required: true),
                Field("localhostProfile", 2, .string(), "The profile file on the node, for type Localhost.", presence: .pointer),
            ]),
    ]
}
