/// The whole placement policy of one profile on one page: the filters a node must pass, in
/// the order Kubernetes runs them (so the first rejection per node, which the unschedulable
/// message counts, is the one kube-scheduler would report), then the scores that rank the
/// nodes that pass, with Kubernetes' default weights.
///
/// Volume binding is limited to claims already bound: their volumes' node affinity must match
/// the node; unbound claims (`WaitForFirstConsumer`) do not constrain placement yet.
public struct SchedulingStack: Sendable {
    public let profile: SchedulingProfile
    public let filters: [any FilterPlugin]
    public let scores: [any ScorePlugin]

    public init(profile: SchedulingProfile = .spread) {
        self.profile = profile
        filters = [
            NodeUnschedulableFilter(),  // cordoned nodes
            NodeNameFilter(),  // spec.nodeName names one node
            TaintTolerationFilter(),  // NoSchedule and NoExecute taints
            NodeAffinityFilter(),  // nodeSelector and required node affinity
            NodePortsFilter(),  // host ports in use
            NodeResourcesFitFilter(),  // cpu, memory, ephemeral storage, extended resources, pod count
            VolumeNodeAffinityFilter(),  // local persistent volumes pin their pods' nodes
            PodTopologySpreadFilter(),  // DoNotSchedule spread constraints
            InterPodAffinityFilter(),  // required pod affinity and anti-affinity, both ways
            MarathonConstraintsFilter(),  // flotilla.io/constraints
        ]
        scores = [
            ResourceAllocationScore(strategy: profile.scoring),  // weight 1: spread or binpack
            BalancedAllocationScore(),  // weight 1: cpu and memory used alike
            NodeAffinityScore(),  // weight 2: preferred node affinity
            TaintTolerationScore(),  // weight 3: PreferNoSchedule taints
            InterPodAffinityScore(),  // weight 2: preferred pod affinity and anti-affinity
            TopologySpreadScore(),  // weight 2: ScheduleAnyway spread constraints
        ]
    }
}
