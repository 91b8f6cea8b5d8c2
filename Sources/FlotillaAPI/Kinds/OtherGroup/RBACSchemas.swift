/// The rbac.authorization.k8s.io/v1 definitions: roles, cluster roles and their bindings.
///
/// Field numbers are those of Kubernetes' `rbac/v1/generated.proto`.
enum RBACSchemas {
    static let definitions: [Definition] = [
        role, clusterRole, policyRule, aggregationRule, roleBinding, clusterRoleBinding, subject, roleRef,
    ]

    static let prefix = "io.k8s.api.rbac.v1."

    static let role = Definition(
        prefix + "Role", "A set of permissions within one namespace.",
        gvk: [GroupVersionKind("rbac.authorization.k8s.io", "v1", "Role")],
        fields: KindFields.object() + [rules])

    static let clusterRole = Definition(
        prefix + "ClusterRole", "A set of permissions across the cluster or, through a role binding, in one namespace.",
        gvk: [GroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRole")],
        fields: KindFields.object() + [
            rules,
            Field("aggregationRule", 3, .ref(prefix + "AggregationRule"), "Selects other cluster roles whose rules are merged into this one."),
        ])

    static let rules = Field(
        "rules", 2, .array(.ref(prefix + "PolicyRule")), "The permissions granted.", listType: "atomic")

    static let policyRule = Definition(
        prefix + "PolicyRule", "Verbs allowed on resources or on non-resource URLs.",
        fields: [
            Field("verbs", 1, .array(.string()), "The verbs allowed; * means all.", required: true, listType: "atomic"),
            Field("apiGroups", 2, .array(.string()), "The API groups of the resources; \"\" is the core group.", listType: "atomic"),
            Field("resources", 3, .array(.string()), "The resources; * means all, pods/log names a subresource.", listType: "atomic"),
            Field("resourceNames", 4, .array(.string()), "Object names the rule is limited to; empty means all.", listType: "atomic"),
            Field("nonResourceURLs", 5, .array(.string()), "URL paths such as /healthz; only in cluster roles.", listType: "atomic"),
        ])

    static let aggregationRule = Definition(
        prefix + "AggregationRule", "How a cluster role gathers the rules of others.",
        fields: [
            Field("clusterRoleSelectors", 1, .array(.ref(KindFields.labelSelector)), "Cluster roles matching any selector contribute their rules.",
                  listType: "atomic"),
        ])

    static let roleBinding = Definition(
        prefix + "RoleBinding", "Grants a role or cluster role to subjects within one namespace.",
        gvk: [GroupVersionKind("rbac.authorization.k8s.io", "v1", "RoleBinding")],
        fields: KindFields.object() + bindingFields)

    static let clusterRoleBinding = Definition(
        prefix + "ClusterRoleBinding", "Grants a cluster role to subjects across the cluster.",
        gvk: [GroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding")],
        fields: KindFields.object() + bindingFields)

    static let bindingFields: [Field] = [
        Field("subjects", 2, .array(.ref(prefix + "Subject")), "The users, groups and service accounts granted the role.", listType: "atomic"),
        Field("roleRef", 3, .ref(prefix + "RoleRef"), "The role granted; cannot change after creation.", required: true),
    ]

    static let subject = Definition(
        prefix + "Subject", "A user, group or service account a binding applies to.",
        fields: [
            Field("kind", 1, .string(), "User, Group or ServiceAccount.", required: true),
            Field("apiGroup", 2, .string(), "\"\" for service accounts, rbac.authorization.k8s.io for users and groups."),
            Field("name", 3, .string(), "The subject's name.", required: true),
            Field("namespace", 4, .string(), "The service account's namespace."),
        ])

    static let roleRef = Definition(
        prefix + "RoleRef", "The role a binding grants.",
        fields: [
            Field("apiGroup", 1, .string(), "rbac.authorization.k8s.io.", required: true),
            Field("kind", 2, .string(), "Role or ClusterRole.", required: true),
            Field("name", 3, .string(), "The role's name.", required: true),
        ])
}
