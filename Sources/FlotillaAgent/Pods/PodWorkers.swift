import FlotillaClient
import Logging

/// The pod workers of a node by pod uid, each with the spec it last synced.
actor PodWorkers {
    private let runtime: any ContainerRuntime
    private let options: PodWorker.Options
    private let hooks: LifecycleHookRunner
    private let events: EventRecorder
    private let logger: Logger
    private var workers: [String: (worker: PodWorker, design: PodDesign)] = [:]

    init(runtime: any ContainerRuntime, options: PodWorker.Options, hooks: LifecycleHookRunner, events: EventRecorder, logger: Logger) {
        self.runtime = runtime
        self.options = options
        self.hooks = hooks
        self.events = events
        self.logger = logger
    }

    /// The worker of `design`'s pod, made on first use; records `design` as its last spec.
    func worker(for design: PodDesign) -> PodWorker {
        let worker = workers[design.uid]?.worker ?? PodWorker(runtime: runtime, options: options, hooks: hooks, events: events, logger: logger)
        workers[design.uid] = (worker, design)
        return worker
    }

    func lastDesign(_ uid: String) -> PodDesign? {
        workers[uid]?.design
    }

    func forget(_ uid: String) {
        workers[uid] = nil
    }
}
