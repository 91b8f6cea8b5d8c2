/// The definitions of the smaller API groups (autoscaling, coordination, discovery, policy,
/// RBAC, scheduling, authorization, authentication, metrics), contributed to ``SchemaCatalog``.
public enum OtherGroupSchemas {
    public static let definitions: [Definition] =
        AutoscalingSchemas.definitions + CoordinationDiscoverySchemas.definitions
        + PolicySchedulingSchemas.definitions + RBACSchemas.definitions + AccessReviewSchemas.definitions
        + ResourceMetricsSchemas.definitions
        + KindFields.lists(of: OtherGroupResources.all.filter { $0.verbs.contains("list") }.map(\.schema))
}
