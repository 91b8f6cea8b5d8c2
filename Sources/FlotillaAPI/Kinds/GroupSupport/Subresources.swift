/// The subresources the non-core groups serve.
enum Subresources {
    static let subresourceVerbs = ["get", "patch", "update"]

    /// `status`, serving the kind itself.
    static func status(_ group: String, _ version: String, _ kind: String) -> ResourceDefinition.Subresource {
        ResourceDefinition.Subresource("status", kind: GroupVersionKind(group, version, kind), verbs: subresourceVerbs)
    }

    /// `scale`, serving an autoscaling/v1 Scale.
    static let scale = ResourceDefinition.Subresource(
        "scale", kind: GroupVersionKind("autoscaling", "v1", "Scale"), verbs: subresourceVerbs)
}
