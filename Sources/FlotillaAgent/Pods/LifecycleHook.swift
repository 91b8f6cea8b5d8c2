import FlotillaCore
import Foundation

/// A container's lifecycle hook (`lifecycle.postStart` or `lifecycle.preStop`): what it does.
/// A command or an HTTP GET run the way a probe's check runs; a pause lasts its seconds.
public struct LifecycleHook: Sendable, Equatable {
    /// When a hook runs.
    public enum Kind: String, Sendable, Equatable {
        /// Right after the container started; the container counts as started once it succeeded.
        case postStart = "PostStart"
        /// Before the container is sent its stop signal; its time counts against the grace period.
        case preStop = "PreStop"
    }

    /// What a hook does.
    public enum Action: Sendable, Equatable {
        /// A command in the container (`exec`) or an HTTP GET to the pod (`httpGet`).
        case check(Probe.Action)
        /// Waits (`sleep.seconds`).
        case sleep(Duration)
        /// A handler the agent cannot run (`tcpSocket`, which Kubernetes keeps only for
        /// compatibility); the hook fails, naming it.
        case unsupported(String)
    }

    public var action: Action

    public init(action: Action) {
        self.action = action
    }

    /// Reads one handler of a container's `lifecycle` (`ports` names the container's
    /// `ports[]`, for a port given by name); nil when `json` is null.
    init?(json: JSON, ports: JSON) {
        guard json.object != nil else { return nil }
        if let seconds = json["sleep"]["seconds"].int {
            action = .sleep(.seconds(max(0, seconds)))
        } else if !json["tcpSocket"].isNull {
            action = .unsupported("tcpSocket")
        } else if let check = Probe.Action(json: json, ports: ports) {
            action = .check(check)
        } else {
            action = .unsupported(json.object?.keys.sorted().first ?? "empty")
        }
    }
}

/// What became of one run of a lifecycle hook of a container instance.
public struct HookRun: Sendable, Equatable {
    /// How a finished hook ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded
        /// The hook failed, and why.
        case failed(String)
    }

    public var startedAt: Date
    /// Nil while the hook runs.
    public var outcome: Outcome?

    public init(startedAt: Date, outcome: Outcome? = nil) {
        self.startedAt = startedAt
        self.outcome = outcome
    }

    /// The least time a container is given after its preStop hook (kubelet's 2 seconds), even
    /// when the hook used up the grace period.
    public static let minimumGracePeriod: Duration = .seconds(2)

    /// What is left at `now` of `gracePeriod` for a container whose preStop hook is this run:
    /// the hook's time counts against it, but at least ``minimumGracePeriod`` remains.
    public func remainingGracePeriod(of gracePeriod: Duration, now: Date) -> Duration {
        let elapsed = Duration.milliseconds(Int64(max(0, now.timeIntervalSince(startedAt)) * 1000))
        return max(gracePeriod - elapsed, Self.minimumGracePeriod)
    }
}
