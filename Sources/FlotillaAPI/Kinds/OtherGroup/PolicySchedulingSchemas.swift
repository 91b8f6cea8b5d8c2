/// The policy/v1 definitions (PodDisruptionBudget, Eviction) and the scheduling.k8s.io/v1
/// PriorityClass.
///
/// Field numbers are those of Kubernetes' `policy/v1` and `scheduling/v1` generated.proto.
enum PolicySchedulingSchemas {
    static let definitions: [Definition] = [
        podDisruptionBudget, podDisruptionBudgetSpec, podDisruptionBudgetStatus, eviction, priorityClass,
    ]

    static let policy = "io.k8s.api.policy.v1."
    static let scheduling = "io.k8s.api.scheduling.v1."

    static let podDisruptionBudget = Definition(
        policy + "PodDisruptionBudget", "A limit on how many of a set of pods voluntary disruptions may take down at once.",
        gvk: [GroupVersionKind("policy", "v1", "PodDisruptionBudget")],
        fields: KindFields.object(spec: policy + "PodDisruptionBudgetSpec", status: policy + "PodDisruptionBudgetStatus"))

    static let podDisruptionBudgetSpec = Definition(
        policy + "PodDisruptionBudgetSpec", "Which pods a budget protects and how many must stay available.",
        fields: [
            Field("minAvailable", 1, .intOrString, "Pods (or percentage) that must stay available after an eviction."),
            Field("selector", 2, .ref(KindFields.labelSelector), "The pods the budget covers; {} covers all pods of the namespace.",
                  patchStrategy: "replace"),
            Field("maxUnavailable", 3, .intOrString, "Pods (or percentage) that may be unavailable after an eviction; excludes minAvailable."),
            Field("unhealthyPodEvictionPolicy", 4, .string(enumValues: ["AlwaysAllow", "IfHealthyBudget"]),
                  "When running but unready pods may be evicted: IfHealthyBudget or AlwaysAllow.", presence: .pointer),
        ])

    static let podDisruptionBudgetStatus = Definition(
        policy + "PodDisruptionBudgetStatus", "What the disruption controller last observed.",
        fields: [
            Field("observedGeneration", 1, .int64, "The generation the controller last acted on."),
            Field("disruptedPods", 2, .map(.time), "Pods evicted but not yet seen deleted, with the eviction time."),
            Field("disruptionsAllowed", 3, .int32, "How many pods may be disrupted now.", required: true),
            Field("currentHealthy", 4, .int32, "Healthy pods now.", required: true),
            Field("desiredHealthy", 5, .int32, "The fewest healthy pods allowed.", required: true),
            Field("expectedPods", 6, .int32, "Pods the budget counts.", required: true),
            Field("conditions", 7, .array(.ref(KindFields.condition)), "Observations such as DisruptionAllowed.",
                  patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
        ])

    static let eviction = Definition(
        policy + "Eviction", "A request to evict a pod, honouring its disruption budgets; posted to pods/eviction.",
        gvk: [GroupVersionKind("policy", "v1", "Eviction")],
        fields: KindFields.object() + [
            Field("deleteOptions", 2, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"), "How the pod is deleted."),
        ])

    static let priorityClass = Definition(
        scheduling + "PriorityClass", "A named scheduling priority that pods refer to by priorityClassName.",
        gvk: [GroupVersionKind("scheduling.k8s.io", "v1", "PriorityClass")],
        fields: KindFields.object() + [
            Field("value", 2, .int32, "The priority; higher runs first. User classes go up to 1000000000.", required: true),
            Field("globalDefault", 3, .boolean, "Whether pods without a priority class get this one."),
            Field("description", 4, .string(), "When to use this class."),
            Field("preemptionPolicy", 5, .string(enumValues: ["Never", "PreemptLowerPriority"]),
                  "Whether pods of this class may preempt lower ones; defaults to PreemptLowerPriority.", presence: .pointer),
        ])
}
