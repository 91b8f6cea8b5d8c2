import FlotillaCore

/// The conditions a node's agent reports, in a kubelet's words: Ready, and the memory, disk and
/// process-count pressures that make the control plane keep pods away.
public struct NodeConditions: Sendable, Equatable {
    public var ready: Bool
    /// Why the node is not ready (the runtime or its network is not), when it is not.
    public var notReadyMessage: String
    public var memoryPressure: Bool
    public var diskPressure: Bool
    public var pidPressure: Bool

    public init(ready: Bool = true, notReadyMessage: String = "", memoryPressure: Bool = false, diskPressure: Bool = false, pidPressure: Bool = false) {
        self.ready = ready
        self.notReadyMessage = notReadyMessage
        self.memoryPressure = memoryPressure
        self.diskPressure = diskPressure
        self.pidPressure = pidPressure
    }

    /// The `status.conditions` entries, each beating at `now`; a transition time is kept from
    /// `previous` (the node's current conditions) while its status stays the same.
    public func json(now: String, previous: JSON = .null) -> [JSON] {
        func condition(_ type: String, _ isTrue: Bool, _ reason: String, _ message: String) -> JSON {
            let status = isTrue ? "True" : "False"
            let before = previous.array?.first { $0["type"].string == type }
            let transition = before?["status"].string == status ? before?["lastTransitionTime"] ?? .string(now) : .string(now)
            return [
                "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastHeartbeatTime": .string(now), "lastTransitionTime": transition,
            ]
        }
        return [
            memoryPressure
                ? condition("MemoryPressure", true, "KubeletHasInsufficientMemory", "agent has insufficient memory available")
                : condition("MemoryPressure", false, "KubeletHasSufficientMemory", "agent has sufficient memory available"),
            diskPressure
                ? condition("DiskPressure", true, "KubeletHasDiskPressure", "agent has disk pressure")
                : condition("DiskPressure", false, "KubeletHasNoDiskPressure", "agent has no disk pressure"),
            pidPressure
                ? condition("PIDPressure", true, "KubeletHasInsufficientPID", "agent has insufficient PID available")
                : condition("PIDPressure", false, "KubeletHasSufficientPID", "agent has sufficient PID available"),
            ready
                ? condition("Ready", true, "KubeletReady", "agent is posting ready status")
                : condition("Ready", false, "KubeletNotReady", notReadyMessage),
        ]
    }
}
