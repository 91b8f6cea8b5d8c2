import FlotillaCore
import Foundation

/// Small formatting rules shared by the `kubectl get` columns of the core kinds.
enum TableCells {
    /// The time since an RFC 3339 timestamp as kubectl prints it, or "<unknown>".
    static func since(_ timestamp: JSON, _ now: Date) -> String {
        guard let text = timestamp.string, let date = Timestamp.parse(text) else { return "<unknown>" }
        return HumanDuration.format(now.timeIntervalSince(date))
    }

    /// Labels as `k=v,k2=v2` in key order, or "<none>".
    static func labels(_ map: JSON) -> String {
        guard let members = map.object, !members.isEmpty else { return "<none>" }
        return members.keys.sorted().map { "\($0)=\(members[$0]?.string ?? "")" }.joined(separator: ",")
    }

    /// The number of members of an object or elements of an array (0 for anything else).
    static func count(_ value: JSON) -> Int64 {
        Int64(value.object?.count ?? value.array?.count ?? 0)
    }

    /// Access modes in kubectl's short form and order: "RWO,ROX,RWX,RWOP".
    static func accessModes(_ modes: JSON) -> String {
        let present = Set((modes.array ?? []).compactMap(\.string))
        let order = [
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        ]
        return order.filter { present.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// A quantity as Kubernetes prints it (canonical), or "" when absent.
    static func quantity(_ value: JSON) -> String {
        if let q = Quantity(json: value) { return q.canonical }
        return value.string ?? ""
    }

    /// A string cell, with `fallback` for a missing or empty value.
    static func text(_ value: JSON, or fallback: String = "") -> JSON {
        guard let s = value.string, !s.isEmpty else { return .string(fallback) }
        return .string(s)
    }
}
