/// The resources of the smaller API groups (autoscaling, coordination, discovery, policy, RBAC,
/// scheduling, authorization, authentication, metrics), contributed to ``ResourceCatalog``.
public enum OtherGroupResources {
    public static let all: [ResourceDefinition] =
        [
            HorizontalPodAutoscalers.resource, Leases.resource, EndpointSlices.resource, PodDisruptionBudgets.resource,
            PriorityClasses.resource,
        ] + RBACResources.all + AccessReviews.all + ResourceMetrics.all

    /// Definitions that serve a resource of ``all`` in another version, converting its objects to
    /// and from the storage version (autoscaling/v1 autoscalers).
    public static let otherVersions: [ResourceDefinition] = [HorizontalPodAutoscalersV1.resource]
}
