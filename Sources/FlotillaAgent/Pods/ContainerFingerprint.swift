import Crypto
import FlotillaCore

extension PodDesign.Container {
    /// A digest of everything the runtime was told when creating the container (image, command,
    /// environment as specified, resources, mounts, ports): a running container whose
    /// fingerprint differs from its spec's is replaced, as kubelet does when a pod's image is
    /// changed. Values the environment takes from ConfigMaps and Secrets do not count: a change
    /// of them reaches a container when it next starts, as in Kubernetes.
    public var fingerprint: String {
        let description: JSON = [
            "image": .string(image), "command": .array(command.map(JSON.string)), "args": .array(args.map(JSON.string)),
            "workingDir": .string(workingDirectory),
            "env": environmentSpec.isNull ? .array(environment.map { ["name": .string($0.name), "value": .string($0.value)] }) : environmentSpec,
            "resources": [
                "cpuRequest": resources.cpuRequestMillis.map { .int($0) } ?? .null,
                "cpuLimit": resources.cpuLimitMillis.map { .int($0) } ?? .null,
                "memoryLimit": resources.memoryLimitBytes.map { .int($0) } ?? .null,
            ],
            "mounts": .array(volumeMounts.map {
                ["volume": .string($0.volume), "path": .string($0.mountPath), "readOnly": .bool($0.readOnly), "subPath": .string($0.subPath)]
            }),
            "hostPorts": .array(hostPorts.map { ["container": .int(Int64($0.containerPort)), "host": .int(Int64($0.hostPort))] }),
        ]
        return SHA256.hash(data: description.serialized()).prefix(8).hexString
    }
}
