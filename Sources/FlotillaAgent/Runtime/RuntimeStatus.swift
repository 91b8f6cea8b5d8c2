/// Whether a container runtime can run pods: the runtime itself (`RuntimeReady`) and its pod
/// network (`NetworkReady`), each with the runtime's reason when not.
public struct RuntimeStatus: Sendable, Equatable {
    /// One condition the runtime reports.
    public struct Condition: Sendable, Equatable {
        public var type: String
        public var ready: Bool
        public var reason: String
        public var message: String

        public init(type: String, ready: Bool, reason: String = "", message: String = "") {
            self.type = type
            self.ready = ready
            self.reason = reason
            self.message = message
        }
    }

    public var conditions: [Condition]

    public init(conditions: [Condition]) {
        self.conditions = conditions
    }

    /// Both the runtime and its network are ready.
    public var ready: Bool {
        ["RuntimeReady", "NetworkReady"].allSatisfy { type in conditions.contains { $0.type == type && $0.ready } }
    }
}
