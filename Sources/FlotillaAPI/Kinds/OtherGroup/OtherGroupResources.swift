/// The resources of the smaller API groups (autoscaling, coordination, discovery, policy, RBAC,
/// scheduling, authorization, authentication), contributed to ``ResourceCatalog``.
public enum OtherGroupResources {
    public static let all: [ResourceDefinition] =
        [
            HorizontalPodAutoscalers.resource, HorizontalPodAutoscalersV1.resource, Leases.resource, EndpointSlices.resource, PodDisruptionBudgets.resource,
            PriorityClasses.resource,
        ] + RBACResources.all + AccessReviews.all
}
