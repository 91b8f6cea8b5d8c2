/// The labels (and the annotation) the agent puts on its sandboxes and containers, by which it
/// finds them again.
public enum PodLabels {
    /// The pod's uid, on its sandboxes and containers.
    public static let podUID = "flotilla.io/pod-uid"
    /// The node whose agent made the sandbox or container.
    public static let node = "flotilla.io/node"
    /// The container's name in its pod.
    public static let container = "flotilla.io/container"
    /// The annotation with the ``PodDesign/Container/fingerprint`` a container was created from.
    public static let fingerprint = "flotilla.io/container-fingerprint"
}
