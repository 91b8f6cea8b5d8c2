/// A filter's judgement of one node for one pod: pass, or the Kubernetes reasons it fails for.
///
/// When the filter is asked to explain, it adds `detail` (the numbers behind the judgement,
/// e.g. `cpu: requested 2, free 0.5 of 4`) and, on failure, the ``Fix`` that would let the
/// pod pass on this node. The scheduling cycle does not ask, so it builds no such text.
public struct Verdict: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case pass
        /// The node fails, but evicting pods from it could change that (preemption may help).
        case unschedulable
        /// The node fails whatever runs on it (a taint, a label, a cordon).
        case unresolvable
    }

    public var outcome: Outcome
    /// Kubernetes' reason strings, counted in the `0/N nodes are available` message.
    public var reasons: [String]
    public var detail: String
    public var fix: Fix?

    public init(outcome: Outcome, reasons: [String] = [], detail: String = "", fix: Fix? = nil) {
        self.outcome = outcome
        self.reasons = reasons
        self.detail = detail
        self.fix = fix
    }

    public static let pass = Verdict(outcome: .pass)

    /// A failure that evicting pods could resolve.
    public static func unschedulable(_ reasons: String..., detail: String = "", fix: Fix? = nil) -> Verdict {
        Verdict(outcome: .unschedulable, reasons: reasons, detail: detail, fix: fix)
    }

    /// A failure that no eviction resolves.
    public static func unresolvable(_ reasons: String..., detail: String = "", fix: Fix? = nil) -> Verdict {
        Verdict(outcome: .unresolvable, reasons: reasons, detail: detail, fix: fix)
    }

    public var passed: Bool { outcome == .pass }
}

/// A change that would let a pod pass a filter on a node, with a rough cost to rank changes
/// by (smaller is a smaller change).
public struct Fix: Sendable, Equatable, Hashable {
    public var text: String
    public var cost: Double

    public init(_ text: String, cost: Double) {
        self.text = text
        self.cost = cost
    }
}
