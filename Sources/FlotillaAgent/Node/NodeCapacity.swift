import FlotillaCore

/// What a node offers to pods: cpu, memory, ephemeral storage and a pod count, in Kubernetes'
/// quantity notation (`32`, `128Gi`), plus any extended resources (`nvidia.com/gpu: 4`).
public struct NodeCapacity: Sendable, Equatable {
    public var cpu: String
    public var memory: String
    public var ephemeralStorage: String
    public var pods: Int
    /// Extended resources by name, e.g. `nvidia.com/gpu` → `4`.
    public var extended: [String: String]

    public init(cpu: String, memory: String, ephemeralStorage: String = "100Gi", pods: Int = 110, extended: [String: String] = [:]) {
        self.cpu = cpu
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.pods = pods
        self.extended = extended
    }

    /// The `status.capacity` (and `allocatable`) map of a Node.
    public var json: JSON {
        var resources: JSONObject = [
            "cpu": .string(cpu), "ephemeral-storage": .string(ephemeralStorage), "memory": .string(memory),
            "pods": .string(String(pods)),
        ]
        for (name, value) in extended.sorted(by: { $0.key < $1.key }) { resources[name] = .string(value) }
        return .object(resources)
    }
}
