import Foundation

/// Whether a pod sandbox is ready (its network namespace exists and its pause process runs).
public enum SandboxState: Sendable, Equatable {
    case ready, notReady
}

/// A pod sandbox as a list shows it: which pod it belongs to and its state.
public struct SandboxSummary: Sendable, Equatable {
    public var id: String
    public var podName: String
    public var podNamespace: String
    public var podUID: String
    public var attempt: UInt32
    public var state: SandboxState
    public var createdAt: Date
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        id: String, podName: String, podNamespace: String, podUID: String, attempt: UInt32, state: SandboxState,
        createdAt: Date, labels: [String: String], annotations: [String: String]
    ) {
        self.id = id
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

/// A pod sandbox in full: its summary and the pod IPs its network gave it.
public struct SandboxStatus: Sendable, Equatable {
    public var summary: SandboxSummary
    /// The pod's IP addresses, the primary first; empty with the host's network.
    public var ips: [String]

    public init(summary: SandboxSummary, ips: [String]) {
        self.summary = summary
        self.ips = ips
    }

    public var id: String { summary.id }
    public var state: SandboxState { summary.state }
}
