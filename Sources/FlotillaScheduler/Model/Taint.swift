import FlotillaCore

/// What a taint does to pods that do not tolerate it.
public enum TaintEffect: Hashable, Sendable, CustomStringConvertible {
    /// New pods are not scheduled onto the node.
    case noSchedule
    /// The scheduler avoids the node when it can.
    case preferNoSchedule
    /// New pods are not scheduled, and running ones are evicted.
    case noExecute
    /// An effect this version does not know; it is ignored by the filters and scores.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "NoSchedule": self = .noSchedule
        case "PreferNoSchedule": self = .preferNoSchedule
        case "NoExecute": self = .noExecute
        default: self = .other(text)
        }
    }

    public var description: String {
        switch self {
        case .noSchedule: return "NoSchedule"
        case .preferNoSchedule: return "PreferNoSchedule"
        case .noExecute: return "NoExecute"
        case .other(let text): return text
        }
    }
}

/// A node taint (`spec.taints[]`): pods that do not tolerate it are kept off the node.
public struct Taint: Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var effect: TaintEffect
    /// Kubernetes' filter reason for this taint: `node(s) had untolerated taint {key: value}`.
    public let reason: String

    public init(key: String, value: String = "", effect: TaintEffect) {
        self.key = key
        self.value = value
        self.effect = effect
        self.reason = "node(s) had untolerated taint {\(key): \(value)}"
    }

    public init(json: JSON) {
        self.init(key: json["key"].string ?? "", value: json["value"].string ?? "", effect: TaintEffect(json["effect"].string ?? ""))
    }

    /// `key=value:Effect`, as kubectl writes taints.
    public var description: String { value.isEmpty ? "\(key):\(effect)" : "\(key)=\(value):\(effect)" }

    /// Whether the scheduler must keep pods that do not tolerate it off the node.
    public var forbidsScheduling: Bool { effect == .noSchedule || effect == .noExecute }

    /// The taint a cordoned node is treated as having.
    public static let unschedulable = Taint(key: "node.kubernetes.io/unschedulable", effect: .noSchedule)
}

/// A pod toleration (`spec.tolerations[]`).
public struct Toleration: Hashable, Sendable {
    /// `Exists` matches any value; `Equal` (the default) matches one value.
    public var exists: Bool
    /// The taint key; empty with `Exists` tolerates every taint.
    public var key: String
    public var value: String
    /// The effect tolerated; nil tolerates every effect.
    public var effect: TaintEffect?

    public init(key: String, exists: Bool = false, value: String = "", effect: TaintEffect? = nil) {
        self.key = key
        self.exists = exists
        self.value = value
        self.effect = effect
    }

    public init(json: JSON) {
        let effect = json["effect"].string ?? ""
        self.init(
            key: json["key"].string ?? "", exists: json["operator"].string == "Exists", value: json["value"].string ?? "",
            effect: effect.isEmpty ? nil : TaintEffect(effect))
        unknownOperator = !(json["operator"].string.map { $0 == "Exists" || $0 == "Equal" || $0.isEmpty } ?? true)
    }

    /// An operator other than `Exists` and `Equal` tolerates nothing.
    private var unknownOperator = false

    /// Whether this toleration tolerates `taint` (Kubernetes' `ToleratesTaint`).
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        if unknownOperator { return false }
        return exists || value == taint.value
    }
}

extension Array where Element == Toleration {
    /// Whether some toleration tolerates `taint`.
    public func tolerate(_ taint: Taint) -> Bool {
        contains { $0.tolerates(taint) }
    }
}
