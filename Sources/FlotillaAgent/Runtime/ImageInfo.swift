/// An image on the node.
public struct ImageInfo: Sendable, Equatable {
    /// The image's id, e.g. `sha256:…` (its config digest).
    public var id: String
    /// Names it is known by, e.g. `127.0.0.1:5000/busybox:latest`.
    public var tags: [String]
    /// Digested names, e.g. `127.0.0.1:5000/busybox@sha256:…`.
    public var digests: [String]
    public var sizeBytes: UInt64

    public init(id: String, tags: [String], digests: [String], sizeBytes: UInt64) {
        self.id = id
        self.tags = tags
        self.digests = digests
        self.sizeBytes = sizeBytes
    }
}
