// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// The observed state of containers.
    static let containerStatusDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.ContainerStatus", "The observed state of one container.",
            fields: [
                Field("name", 1, .string(), "The container's name.", required: true),
                Field("state", 2, .ref("io.k8s.api.core.v1.ContainerState"), "The container's current state."),
                Field("lastState", 3, .ref("io.k8s.api.core.v1.ContainerState"), "The container's state when it last ended."),
                Field("ready", 4, .boolean, "Whether the container passes its readiness check.", required: true),
                Field("restartCount", 5, .int32, "How many times the container has been restarted.", required: true),
                Field("image", 6, .string(), "The image the container runs.", required: true),
                Field("imageID", 7, .string(), "The digest of the image the container runs.", required: true),
                Field("containerID", 8, .string(), "The container's identifier in its runtime, as <type>://<id>."),
                Field("started", 9, .boolean, "Whether the container has started and passed its startup probe.", presence: .pointer),
                Field("allocatedResources", 10, .map(.quantity), "The resources the node allocated to the container."),
                Field("resources", 11, .ref("io.k8s.api.core.v1.ResourceRequirements"), "The resources the container has now."),
                Field("volumeMounts", 12, .array(.ref("io.k8s.api.core.v1.VolumeMountStatus")), "The state of the container's mounts.", patchStrategy: "merge", patchMergeKey: "mountPath", listType: "atomic"),
                Field("user", 13, .ref("io.k8s.api.core.v1.ContainerUser"), "The identity the container's process runs as."),
                Field("allocatedResourcesStatus", 14, .array(.ref("io.k8s.api.core.v1.ResourceStatus")), "The health of the devices given to the container.", patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"]),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerState", "The state of a container; exactly one member is set.",
            fields: [
                Field("waiting", 1, .ref("io.k8s.api.core.v1.ContainerStateWaiting"), "The container is not yet running."),
                Field("running", 2, .ref("io.k8s.api.core.v1.ContainerStateRunning"), "The container is running."),
                Field("terminated", 3, .ref("io.k8s.api.core.v1.ContainerStateTerminated"), "The container has ended."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerStateWaiting", "A container that is not yet running.",
            fields: [
                Field("reason", 1, .string(), "Why the container is not running, e.g. ContainerCreating."),
                Field("message", 2, .string(), "Why the container is not yet running."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerStateRunning", "A running container.",
            fields: [
                Field("startedAt", 1, .time, "When the container started."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerStateTerminated", "A container that has ended.",
            fields: [
                Field("exitCode", 1, .int32, "The exit status of the container's last run.", required: true),
                Field("signal", 2, .int32, "The signal that ended the container."),
                Field("reason", 3, .string(), "Why the container ended, e.g. Completed or Error."),
                Field("message", 4, .string(), "How the container ended."),
                Field("startedAt", 5, .time, "When the container started."),
                Field("finishedAt", 6, .time, "When the container stopped."),
                Field("containerID", 7, .string(), "The container's identifier in its runtime, as <type>://<id>."),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeMountStatus", "The observed state of one volume mount.",
            fields: [
                Field("name", 1, .string(), "The name of the mounted volume.", required: true),
                Field("mountPath", 2, .string(), "The path in the container where the volume is mounted.", required: true),
                Field("readOnly", 3, .boolean, "Whether the mount is read-only."),
                Field("recursiveReadOnly", 4, .string(), "Whether recursive read-only mounting is Disabled, Enabled or Unknown.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ContainerUser", "The identity a container's first process runs as.",
            fields: [
                Field("linux", 1, .ref("io.k8s.api.core.v1.LinuxContainerUser"), "Identity of the process on Linux."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LinuxContainerUser", "The Linux user and groups of a process.",
            fields: [
                Field("uid", 1, .int64, "The user ID.", required: true),
                Field("gid", 2, .int64, "The group ID.", required: true),
                Field("supplementalGroups", 3, .array(.int64), "Extra group IDs."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceStatus", "The health of the devices behind one resource.",
            fields: [
                Field("name", 1, .string(), "The name of the resource.", required: true),
                Field("resources", 2, .array(.ref("io.k8s.api.core.v1.ResourceHealth")), "The health of each device of the resource."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ResourceHealth", "The health of one device.",
            fields: [
                Field("resourceID", 1, .string(), "The identifier of the device or resource.", required: true),
                Field("health", 2, .string(), "The health of the resource: Healthy, Unhealthy or Unknown."),
            ]),
    ]
}
