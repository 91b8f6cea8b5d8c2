/// A session the runtime serves on its streaming server (``ContainerRuntime/streamingURL(_:)``):
/// a command run in a container, an attachment to a container's own streams, or port forwarding
/// into a sandbox's network namespace.
public enum StreamingRequest: Sendable, Equatable {
    /// Which of a session's standard streams are connected; a terminal has no separate stderr.
    public struct Streams: Sendable, Equatable {
        public var stdin: Bool
        public var stdout: Bool
        public var stderr: Bool
        public var tty: Bool

        public init(stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool) {
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr && !tty
            self.tty = tty
        }
    }

    case exec(containerID: String, command: [String], streams: Streams)
    case attach(containerID: String, streams: Streams)
    case portForward(sandboxID: String, ports: [Int32])
}
