// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Scheduling rules of pods: affinity, tolerations and topology spread.
    static let schedulingDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Affinity", "Scheduling affinity rules of a pod.",
            fields: [
                Field("nodeAffinity", 1, .ref("io.k8s.api.core.v1.NodeAffinity"), "The nodes the volume can be used from."),
                Field("podAffinity", 2, .ref("io.k8s.api.core.v1.PodAffinity"), "Pods this pod should be placed near."),
                Field("podAntiAffinity", 3, .ref("io.k8s.api.core.v1.PodAntiAffinity"), "Pods this pod should be kept away from."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeAffinity", "Rules on the nodes a pod may be scheduled to.",
            fields: [
                Field("requiredDuringSchedulingIgnoredDuringExecution", 1, .ref("io.k8s.api.core.v1.NodeSelector"), "Rules that must hold for the pod to be scheduled."),
                Field("preferredDuringSchedulingIgnoredDuringExecution", 2, .array(.ref("io.k8s.api.core.v1.PreferredSchedulingTerm")), "Rules that scheduling prefers, with weights."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeSelector", "Terms of which a node must match at least one.",
            fields: [
                Field("nodeSelectorTerms", 1, .array(.ref("io.k8s.api.core.v1.NodeSelectorTerm")), "Terms of which at least one must match.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeSelectorTerm", "Requirements a node must all meet.",
            fields: [
                Field("matchExpressions", 1, .array(.ref("io.k8s.api.core.v1.NodeSelectorRequirement")), "Requirements on keys and values, all of which must hold."),
                Field("matchFields", 2, .array(.ref("io.k8s.api.core.v1.NodeSelectorRequirement")), "Requirements on node fields, all of which must hold."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NodeSelectorRequirement", "A requirement on a node label or field.",
            fields: [
                Field("key", 1, .string(), "The label key or field name.", required: true),
                Field("operator", 2, .string(), "In, NotIn, Exists, DoesNotExist, Gt or Lt.", required: true),
                Field("values", 3, .array(.string()), "The values to compare with; one integer for Gt and Lt."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PreferredSchedulingTerm", "A preferred node selector term with a weight.",
            fields: [
                Field("weight", 1, .int32, "The weight, 1 to 100, added to the score of matching nodes.", presence: .alwaysSerialized),
                Field("preference", 2, .ref("io.k8s.api.core.v1.NodeSelectorTerm"), "The node selector term, with its weight.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodAffinity", "Rules to place a pod near other pods.",
            fields: [
                Field("requiredDuringSchedulingIgnoredDuringExecution", 1, .array(.ref("io.k8s.api.core.v1.PodAffinityTerm")), "Terms that must hold for the pod to be scheduled."),
                Field("preferredDuringSchedulingIgnoredDuringExecution", 2, .array(.ref("io.k8s.api.core.v1.WeightedPodAffinityTerm")), "Rules that scheduling prefers, with weights."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodAffinityTerm", "Pods a pod must (or must not) share a topology domain with.",
            fields: [
                Field("labelSelector", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Selects the pods the term refers to."),
                Field("namespaces", 2, .array(.string()), "Namespaces the term applies to; the pod's own when empty with no selector."),
                Field("topologyKey", 3, .string(), "The node label whose value defines a topology domain.", required: true),
                Field("namespaceSelector", 4, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Selects the namespaces the term applies to by label."),
                Field("matchLabelKeys", 5, .array(.string()), "Label keys whose values are taken from the incoming pod and added to the selector.", listType: "atomic"),
                Field("mismatchLabelKeys", 6, .array(.string()), "Label keys whose values from the incoming pod must not match.", listType: "atomic"),
            ]),
        Definition(
            "io.k8s.api.core.v1.WeightedPodAffinityTerm", "A preferred pod affinity term with a weight.",
            fields: [
                Field("weight", 1, .int32, "The weight, 1 to 100, added to the score of matching nodes.", required: true),
                Field("podAffinityTerm", 2, .ref("io.k8s.api.core.v1.PodAffinityTerm"), "The term that matching nodes must satisfy.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PodAntiAffinity", "Rules to keep a pod away from other pods.",
            fields: [
                Field("requiredDuringSchedulingIgnoredDuringExecution", 1, .array(.ref("io.k8s.api.core.v1.PodAffinityTerm")), "Terms that must not hold for the pod to be scheduled."),
                Field("preferredDuringSchedulingIgnoredDuringExecution", 2, .array(.ref("io.k8s.api.core.v1.WeightedPodAffinityTerm")), "Rules that scheduling prefers, with weights."),
            ]),
        Definition(
            "io.k8s.api.core.v1.Toleration", "Lets a pod be scheduled onto (or stay on) nodes with a matching taint.",
            fields: [
                Field("key", 1, .string(), "The taint key the toleration applies to; empty matches all keys."),
                Field("operator", 2, .string(), "Exists or Equal; Equal by default."),
                Field("value", 3, .string(), "The taint value the toleration matches."),
                Field("effect", 4, .string(), "The taint effect to match; empty matches all effects."),
                Field("tolerationSeconds", 5, .int64, "How long a NoExecute taint is tolerated before eviction.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.TopologySpreadConstraint", "How pods are spread over topology domains.",
            fields: [
                Field("maxSkew", 1, .int32, "The largest allowed difference in matching pods between topology domains.", required: true),
                Field("topologyKey", 2, .string(), "The node label whose value defines a topology domain.", required: true),
                Field("whenUnsatisfiable", 3, .string(), "What to do when the constraint cannot be met: DoNotSchedule or ScheduleAnyway.", required: true),
                Field("labelSelector", 4, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Selects the pods counted in each domain."),
                Field("minDomains", 5, .int32, "The least number of eligible domains.", presence: .pointer),
                Field("nodeAffinityPolicy", 6, .string(), "Whether node affinity and selector are honored when computing skew: Honor or Ignore.", presence: .pointer),
                Field("nodeTaintsPolicy", 7, .string(), "Whether node taints are honored when computing skew: Honor or Ignore.", presence: .pointer),
                Field("matchLabelKeys", 8, .array(.string()), "Label keys whose values are taken from the incoming pod and added to the selector.", listType: "atomic"),
            ]),
    ]
}
