import FlotillaCore
import Foundation

extension TableColumn {
    /// The AGE column: time since `metadata.creationTimestamp`, as kubectl prints it ("5m2s", "3d4h").
    public static let age = TableColumn(
        "Age", description: "Time since the object was created.",
        cell: { object, now in
            guard let text = object["metadata"]["creationTimestamp"].string, let created = Timestamp.parse(text) else {
                return "<unknown>"
            }
            return .string(HumanDuration.format(now.timeIntervalSince(created)))
        })
}

/// Kubernetes' short human-readable durations: "45s", "5m2s", "3h4m", "2d3h", "40d", "3y20d".
public enum HumanDuration {
    public static func format(_ interval: TimeInterval) -> String {
        let s = Int(max(interval, 0))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = s / 3600
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        if h < 24 * 365 * 8 {
            let dy = (h / 24) % 365
            return dy == 0 ? "\(h / 24 / 365)y" : "\(h / 24 / 365)y\(dy)d"
        }
        return "\(h / 24 / 365)y"
    }
}
