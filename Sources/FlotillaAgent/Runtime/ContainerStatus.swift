import Foundation

/// Where a container is in its life.
public enum ContainerState: Sendable, Equatable {
    case created, running, exited, unknown
}

/// A container as a list shows it: which sandbox and which container of the pod it is, and its state.
public struct ContainerSummary: Sendable, Equatable {
    public var id: String
    public var sandboxID: String
    /// The container's name in its pod.
    public var name: String
    public var attempt: UInt32
    public var state: ContainerState
    public var image: String
    /// The image's id on the node.
    public var imageID: String
    public var createdAt: Date
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        id: String, sandboxID: String, name: String, attempt: UInt32, state: ContainerState, image: String,
        imageID: String, createdAt: Date, labels: [String: String], annotations: [String: String]
    ) {
        self.id = id
        self.sandboxID = sandboxID
        self.name = name
        self.attempt = attempt
        self.state = state
        self.image = image
        self.imageID = imageID
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

/// A container in full: when it started and finished, how it exited and why, and its log file.
public struct ContainerStatus: Sendable, Equatable {
    public var id: String
    public var name: String
    public var attempt: UInt32
    public var state: ContainerState
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The exit code, once exited (137 after SIGKILL, as for an OOM kill).
    public var exitCode: Int32?
    /// Why it is in its state, in one CamelCase word: `Completed`, `Error`, `OOMKilled`, …
    public var reason: String
    public var message: String
    public var image: String
    public var imageID: String
    /// The log file on the node (CRI log format: `<RFC 3339 time> <stream> <P|F> <text>`).
    public var logPath: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        id: String, name: String, attempt: UInt32, state: ContainerState, createdAt: Date, startedAt: Date?,
        finishedAt: Date?, exitCode: Int32?, reason: String, message: String, image: String, imageID: String,
        logPath: String, labels: [String: String], annotations: [String: String]
    ) {
        self.id = id
        self.name = name
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.image = image
        self.imageID = imageID
        self.logPath = logPath
        self.labels = labels
        self.annotations = annotations
    }

    /// The kernel killed it for going past its memory limit.
    public var oomKilled: Bool { reason == "OOMKilled" }
}
