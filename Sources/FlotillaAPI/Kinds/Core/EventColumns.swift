import FlotillaCore
import Foundation

/// The `kubectl get events` columns: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and with
/// `-o wide` SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME, as Kubernetes prints them.
public enum EventColumns {
    /// All the columns, NAME included (last, of format `name`), so the table has no leading NAME.
    public static let all: [TableColumn] = [
        TableColumn("Last Seen", description: "Time since the event was last seen.") { ev, now in
            .string(lastSeen(ev, now))
        },
        TableColumn("Type", description: "Normal or Warning.") { ev, _ in TableCells.text(ev["type"]) },
        TableColumn("Reason", description: "Why the event happened.") { ev, _ in TableCells.text(ev["reason"]) },
        TableColumn("Object", description: "The object the event is about.") { ev, _ in .string(object(ev)) },
        TableColumn("Subobject", description: "The part of the object the event is about.", priority: 1) { ev, _ in
            TableCells.text(ev["involvedObject"]["fieldPath"])
        },
        TableColumn("Source", description: "The component that reported the event.", priority: 1) { ev, _ in
            .string(source(ev))
        },
        TableColumn("Message", description: "What happened.") { ev, _ in
            .string((ev["message"].string ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        },
        TableColumn("First Seen", description: "Time since the event was first seen.", priority: 1) { ev, now in
            .string(firstSeen(ev, now))
        },
        TableColumn("Count", type: "integer", description: "How many times the event happened.", priority: 1) { ev, _ in
            .int(count(ev))
        },
        TableColumn("Name", format: "name", description: "The name of the event.", priority: 1) { ev, _ in
            TableCells.text(ev["metadata"]["name"])
        },
    ]

    static func firstSeen(_ ev: JSON, _ now: Date) -> String {
        ev["firstTimestamp"].isNull ? TableCells.since(ev["eventTime"], now) : TableCells.since(ev["firstTimestamp"], now)
    }

    static func lastSeen(_ ev: JSON, _ now: Date) -> String {
        if ev["series"].object != nil { return TableCells.since(ev["series"]["lastObservedTime"], now) }
        if ev["lastTimestamp"].isNull { return firstSeen(ev, now) }
        return TableCells.since(ev["lastTimestamp"], now)
    }

    static func count(_ ev: JSON) -> Int64 {
        if ev["series"].object != nil { return ev["series"]["count"].int ?? 0 }
        let n = ev["count"].int ?? 0
        return n == 0 ? 1 : n
    }

    /// "kind/name" in lower case, e.g. "pod/web-1".
    static func object(_ ev: JSON) -> String {
        let kind = (ev["involvedObject"]["kind"].string ?? "").lowercased()
        let name = ev["involvedObject"]["name"].string ?? ""
        return name.isEmpty ? kind : "\(kind)/\(name)"
    }

    static func source(_ ev: JSON) -> String {
        let component = ev["source"]["component"].string ?? ""
        let host = ev["source"]["host"].string ?? ""
        if component.isEmpty {
            let controller = ev["reportingComponent"].string ?? ""
            let instance = ev["reportingInstance"].string ?? ""
            return instance.isEmpty ? controller : "\(controller), \(instance)"
        }
        return host.isEmpty ? component : "\(component), \(host)"
    }
}
