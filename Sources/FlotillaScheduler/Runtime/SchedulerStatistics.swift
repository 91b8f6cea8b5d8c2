/// Counters of a running scheduler, for logs, tests and benchmarks.
public struct SchedulerStatistics: Sendable, Equatable {
    /// Scheduling cycles run.
    public var attempts = 0
    /// Pods bound to a node.
    public var scheduled = 0
    /// Cycles that found no node for the pod.
    public var unschedulable = 0
    /// Bindings the API server refused.
    public var bindFailures = 0
    /// Preemptions started (each evicting one or more pods).
    public var preemptions = 0
    /// Events not written because too many waited to be written.
    public var eventsDropped = 0

    public init() {}
}
