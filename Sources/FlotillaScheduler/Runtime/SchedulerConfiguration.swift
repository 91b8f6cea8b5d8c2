/// How a ``Scheduler`` runs.
public struct SchedulerConfiguration: Sendable {
    /// The profiles served, by scheduler name; pods naming another scheduler are left alone.
    /// By default `default-scheduler` (spread) and `binpack-scheduler` (binpack).
    public var profiles: [SchedulingProfile]
    /// The most API calls (bindings, status updates, evictions) in flight at once.
    public var concurrentCalls: Int
    /// Whether pods that fit nowhere may evict lower-priority pods.
    public var preemption: Bool
    /// Whether a `Scheduled` event is recorded for every binding (as kube-scheduler does).
    public var recordScheduledEvents: Bool
    /// The most events waiting to be written; events beyond it are dropped, not waited for.
    public var eventBacklog: Int
    /// The back-off of a pod after its first failed attempt; it doubles with each failure.
    public var initialBackoff: Duration
    /// The longest back-off.
    public var maximumBackoff: Duration
    /// How long an unschedulable pod waits at most before it is tried again.
    public var unschedulableTimeout: Duration
    /// The name events are reported under (`source.component`).
    public var component: String
    /// Which running scheduler reported an event (`reportingInstance`), e.g. `default-scheduler-<host>`.
    public var reportingInstance: String

    public init(
        profiles: [SchedulingProfile] = [.spread, .binpack], concurrentCalls: Int = 256, preemption: Bool = true,
        recordScheduledEvents: Bool = true, eventBacklog: Int = 10_000, initialBackoff: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(10), unschedulableTimeout: Duration = .seconds(60),
        component: String = SchedulingProfile.defaultSchedulerName, reportingInstance: String? = nil
    ) {
        self.profiles = profiles
        self.concurrentCalls = concurrentCalls
        self.preemption = preemption
        self.recordScheduledEvents = recordScheduledEvents
        self.eventBacklog = eventBacklog
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.unschedulableTimeout = unschedulableTimeout
        self.component = component
        self.reportingInstance = reportingInstance ?? component
    }
}
