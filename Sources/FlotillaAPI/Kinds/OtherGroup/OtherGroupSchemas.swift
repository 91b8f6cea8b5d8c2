/// The definitions of the smaller API groups (autoscaling, coordination, discovery, policy,
/// RBAC, scheduling, authorization, authentication), contributed to ``SchemaCatalog``.
public enum OtherGroupSchemas {
    public static let definitions: [Definition] =
        AutoscalingSchemas.definitions + CoordinationDiscoverySchemas.definitions
        + PolicySchedulingSchemas.definitions + RBACSchemas.definitions + AccessReviewSchemas.definitions
        + KindFields.lists(of: OtherGroupResources.all.filter { $0.verbs.contains("list") }.map(\.schema))
}
