/// The core/v1 definitions (`io.k8s.api.core.v1.*`), contributed to ``SchemaCatalog``.
///
/// Each `CoreV1Schemas+<Area>.swift` file holds the definitions of one area. Field numbers are
/// those of Kubernetes' generated.proto. Where Kubernetes inlines an embedded message into
/// the JSON (a probe's handler, a volume's source, a persistent volume's source, an ephemeral
/// container's common fields, a selector's object reference), the definition lists the inlined
/// members with number 0 and ``embeddedMessages`` records the protobuf field that carries them.
public enum CoreV1Schemas {
    /// All core/v1 definitions.
    public static let definitions: [Definition] =
        namespaceDefinitions + podDefinitions + schedulingDefinitions + containerDefinitions + probeDefinitions
        + containerStatusDefinitions + volumeDefinitions + vendorVolumeDefinitions + storageDefinitions
        + nodeDefinitions + serviceDefinitions + configDefinitions + eventDefinitions + policyDefinitions
        + listDefinitions

    /// A protobuf field whose message Kubernetes inlines into its parent's JSON.
    public typealias EmbeddedMessage = FlotillaAPI.EmbeddedMessage

    /// The inlined embedded messages, by parent definition name. A protobuf decoder reads field
    /// `number` of the parent as `definition` and merges its members into the parent object.
    public static let embeddedMessages: [String: [EmbeddedMessage]] = {
        let core = "io.k8s.api.core.v1."
        let localReference = EmbeddedMessage(number: 1, definition: core + "LocalObjectReference")
        var table: [String: [EmbeddedMessage]] = [
            core + "Probe": [EmbeddedMessage(number: 1, definition: core + "ProbeHandler")],
            core + "Volume": [EmbeddedMessage(number: 2, definition: core + "VolumeSource")],
            core + "PersistentVolumeSpec": [EmbeddedMessage(number: 2, definition: core + "PersistentVolumeSource")],
            core + "EphemeralContainer": [EmbeddedMessage(number: 1, definition: core + "EphemeralContainerCommon")],
        ]
        for parent in [
            "ConfigMapEnvSource", "SecretEnvSource", "ConfigMapKeySelector", "SecretKeySelector",
            "ConfigMapVolumeSource", "SecretProjection", "ConfigMapProjection",
        ] {
            table[core + parent] = [localReference]
        }
        return table
    }()
}
