/// A container runtime's name and version, and the CRI version it speaks.
public struct RuntimeVersion: Sendable, Equatable {
    /// e.g. `containerd`.
    public var name: String
    /// e.g. `1.6.20~ds1`.
    public var version: String
    /// e.g. `v1`.
    public var apiVersion: String

    public init(name: String, version: String, apiVersion: String) {
        self.name = name
        self.version = version
        self.apiVersion = apiVersion
    }

    /// The node's `status.nodeInfo.containerRuntimeVersion`: `containerd://1.6.20~ds1`.
    public var nodeInfo: String { "\(name)://\(version)" }
}
