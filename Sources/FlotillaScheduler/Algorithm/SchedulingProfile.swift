/// One scheduler name and how it places pods. Pods choose a profile by `spec.schedulerName`;
/// pods naming no profile of this scheduler are left to another scheduler.
///
/// Flotilla serves two profiles by default: `default-scheduler` (spread, `LeastAllocated`) and
/// `binpack-scheduler` (binpack, `MostAllocated`). An empty `schedulerName` means
/// `default-scheduler`.
public struct SchedulingProfile: Sendable, Equatable {
    public var schedulerName: String
    public var scoring: ScoringStrategy
    /// The share of nodes to find feasible before scoring (1–100); 0 adapts it to the cluster
    /// size as Kubernetes' `percentageOfNodesToScore` does.
    public var percentageOfNodesToScore: Int

    public init(schedulerName: String, scoring: ScoringStrategy = .leastAllocated, percentageOfNodesToScore: Int = 0) {
        self.schedulerName = schedulerName
        self.scoring = scoring
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    public static let defaultSchedulerName = "default-scheduler"

    /// `default-scheduler`: spread pods over the freest nodes.
    public static let spread = SchedulingProfile(schedulerName: defaultSchedulerName, scoring: .leastAllocated)
    /// `binpack-scheduler`: pack pods onto the fullest nodes that fit.
    public static let binpack = SchedulingProfile(schedulerName: "binpack-scheduler", scoring: .mostAllocated)
}
