import FlotillaCore
import Foundation

/// Table columns and cell formats shared by the kinds of the non-core groups, printed the way
/// Kubernetes' server-side printers print them.
enum WorkloadColumns {
    /// CONTAINERS (wide): the names of the containers of the pod template at `template`.
    static func containers(template: [String]) -> TableColumn {
        TableColumn("Containers", description: "Names of each container in the template.", priority: 1) { object, _ in
            .string(containerField(object[path: template], "name"))
        }
    }

    /// IMAGES (wide): the images of the containers of the pod template at `template`.
    static func images(template: [String]) -> TableColumn {
        TableColumn("Images", description: "Images referenced by each container in the template.", priority: 1) { object, _ in
            .string(containerField(object[path: template], "image"))
        }
    }

    /// SELECTOR (wide): the label selector at `path`, in its string form.
    static func selector(_ path: [String]) -> TableColumn {
        TableColumn("Selector", description: "The label selector of the managed pods.", priority: 1) { object, _ in
            .string(selectorText(object[path: path]))
        }
    }

    /// `<none>` for an empty selector, otherwise `a=b,c in (x,y)`; `<error>` for a bad one.
    static func selectorText(_ selector: JSON) -> String {
        guard !selector.isNull else { return "<none>" }
        guard let parsed = try? LabelSelector(json: selector) else { return "<error>" }
        let text = parsed.description
        return text.isEmpty ? "<none>" : text
    }

    /// An integer cell: the value at `path`, 0 when absent.
    static func integer(_ object: JSON, _ path: [String]) -> JSON {
        .int(object[path: path].int ?? 0)
    }

    /// "ready/desired" as READY columns print it.
    static func ratio(_ object: JSON, _ have: [String], _ want: [String]) -> JSON {
        .string("\(object[path: have].int ?? 0)/\(object[path: want].int ?? 0)")
    }

    /// The time since an RFC 3339 timestamp, `<none>` when absent.
    static func since(_ value: JSON, now: Date) -> String {
        value.isNull ? "<none>" : TableCells.since(value, now)
    }

    /// One member of every container of a pod template, comma-separated.
    private static func containerField(_ template: JSON, _ key: String) -> String {
        (template[path: ["spec", "containers"]].array ?? []).map { $0[key].string ?? "" }.joined(separator: ",")
    }
}
