import FlotillaCore

/// Everything an agent says about its node when it registers: name, labels, taints, capacity,
/// addresses and the facts of `status.nodeInfo`. ``nodeObject(now:)`` turns it into the Node
/// object the API stores.
public struct NodeDescription: Sendable, Equatable {
    public var name: String
    /// Labels beyond the well-known ones every node gets (`kubernetes.io/hostname`, `…/os`, `…/arch`).
    public var labels: [String: String]
    /// Annotations, e.g. `flotilla.io/runtime`.
    public var annotations: [String: String]
    /// Taints as `spec.taints` entries (`key`, `value`, `effect`).
    public var taints: [JSON]
    public var capacity: NodeCapacity
    /// The node's InternalIP.
    public var internalIP: String
    public var kernelVersion: String
    public var osImage: String
    public var architecture: String
    /// e.g. `containerd://1.6.20` or `simulated://flotilla`.
    public var containerRuntimeVersion: String
    public var agentVersion: String
    /// The node's pod subnet (`spec.podCIDR`), when its agent wires pods itself.
    public var podCIDR: String?
    /// The port of the agent's HTTPS endpoints (`status.daemonEndpoints.kubeletEndpoint.Port`),
    /// when it serves them on the network.
    public var endpointPort: Int?

    public init(
        name: String, labels: [String: String] = [:], annotations: [String: String] = [:], taints: [JSON] = [],
        capacity: NodeCapacity, internalIP: String, kernelVersion: String, osImage: String, architecture: String,
        containerRuntimeVersion: String, agentVersion: String, podCIDR: String? = nil, endpointPort: Int? = nil
    ) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.taints = taints
        self.capacity = capacity
        self.internalIP = internalIP
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.architecture = architecture
        self.containerRuntimeVersion = containerRuntimeVersion
        self.agentVersion = agentVersion
        self.podCIDR = podCIDR
        self.endpointPort = endpointPort
    }

    /// The node's labels: the well-known ones first, then the agent's own (which may override them).
    public var allLabels: JSONObject {
        var all: JSONObject = [
            "kubernetes.io/arch": .string(Self.goArchitecture(architecture)),
            "kubernetes.io/hostname": .string(name),
            "kubernetes.io/os": "linux",
        ]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { all[key] = .string(value) }
        return all
    }

    /// The metadata the agent sets on its Node: the labels, and the annotations if there are any.
    public var metadata: JSONObject {
        var metadata: JSONObject = ["labels": .object(allLabels)]
        if !annotations.isEmpty {
            metadata["annotations"] = .object(JSONObject(uniqueKeysWithValues: annotations.sorted(by: { $0.key < $1.key }).map { ($0.key, JSON.string($0.value)) }))
        }
        return metadata
    }

    /// The Node object to create, Ready, with every pressure condition False.
    public func nodeObject(now: String) -> JSON {
        var metadata: JSONObject = ["name": .string(name)]
        for (key, value) in self.metadata { metadata[key] = value }
        var spec: JSONObject = [:]
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        if let podCIDR {
            spec["podCIDR"] = .string(podCIDR)
            spec["podCIDRs"] = [.string(podCIDR)]
        }
        return [
            "apiVersion": "v1", "kind": "Node", "metadata": .object(metadata), "spec": .object(spec),
            "status": status(now: now),
        ]
    }

    /// `status` of the Node: capacity, allocatable, conditions, addresses, nodeInfo and the
    /// agent's endpoint.
    public func status(now: String) -> JSON {
        var status: JSON = [
            "capacity": capacity.json, "allocatable": capacity.json,
            "conditions": .array(NodeConditions().json(now: now)),
            "addresses": [
                ["type": "InternalIP", "address": .string(internalIP)],
                ["type": "Hostname", "address": .string(name)],
            ],
            "nodeInfo": [
                "machineID": "", "systemUUID": "", "bootID": "",
                "kernelVersion": .string(kernelVersion), "osImage": .string(osImage),
                "containerRuntimeVersion": .string(containerRuntimeVersion),
                "kubeletVersion": .string(agentVersion), "kubeProxyVersion": .string(agentVersion),
                "operatingSystem": "linux", "architecture": .string(Self.goArchitecture(architecture)),
            ],
        ]
        if let endpointPort { status["daemonEndpoints"] = ["kubeletEndpoint": ["Port": .int(Int64(endpointPort))]] }
        return status
    }

    /// Go's name for a machine architecture (`x86_64` → `amd64`, `aarch64` → `arm64`), as Kubernetes labels use.
    static func goArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64": return "arm64"
        default: return machine
        }
    }
}
