/// A protobuf field whose message Kubernetes inlines into its parent's JSON, as Go does with an
/// embedded struct (`Probe` embeds `ProbeHandler`, `Volume` embeds `VolumeSource`).
///
/// In protobuf the embedded struct is one message field of the parent; in JSON its members are
/// members of the parent. The parent's ``Definition`` lists those members with number 0.
public struct EmbeddedMessage: Sendable, Equatable {
    /// The field number in the parent message.
    public var number: Int
    /// The definition of the embedded message; its fields become members of the parent.
    public var definition: String

    public init(number: Int, definition: String) {
        self.number = number
        self.definition = definition
    }
}
