import FlotillaCore
import Foundation

/// The `kubectl get` columns of namespaces, config maps, secrets, service accounts, resource
/// quotas, limit ranges and pod templates.
public enum ConfigColumns {
    /// STATUS and AGE.
    public static let namespaces: [TableColumn] = [
        TableColumn("Status", description: "Active or Terminating.") { ns, _ in TableCells.text(ns["status"]["phase"]) },
        .age,
    ]

    /// DATA and AGE.
    public static let configMaps: [TableColumn] = [
        TableColumn("Data", type: "integer", description: "Number of keys.") { cm, _ in
            .int(TableCells.count(cm["data"]) + TableCells.count(cm["binaryData"]))
        },
        .age,
    ]

    /// TYPE, DATA and AGE.
    public static let secrets: [TableColumn] = [
        TableColumn("Type", description: "The kind of secret.") { s, _ in TableCells.text(s["type"]) },
        TableColumn("Data", type: "integer", description: "Number of keys.") { s, _ in .int(TableCells.count(s["data"])) },
        .age,
    ]

    /// SECRETS and AGE.
    public static let serviceAccounts: [TableColumn] = [
        TableColumn("Secrets", type: "integer", description: "Number of secrets.") { sa, _ in
            .int(TableCells.count(sa["secrets"]))
        },
        .age,
    ]

    /// AGE, REQUEST and LIMIT ("cpu: 500m/1, pods: 2/10").
    public static let resourceQuotas: [TableColumn] = [
        .age,
        TableColumn("Request", description: "Used and hard amounts of requests.") { rq, _ in
            .string(quotaUsage(rq, limits: false))
        },
        TableColumn("Limit", description: "Used and hard amounts of limits.") { rq, _ in
            .string(quotaUsage(rq, limits: true))
        },
    ]

    /// CREATED AT.
    public static let limitRanges: [TableColumn] = [
        TableColumn("Created At", type: "date", description: "When the limit range was created.") { lr, _ in
            TableCells.text(lr["metadata"]["creationTimestamp"])
        }
    ]

    /// CONTAINERS, IMAGES and POD LABELS.
    public static let podTemplates: [TableColumn] = [
        TableColumn("Containers", description: "The template's container names.") { pt, _ in
            .string((pt["template"]["spec"]["containers"].array ?? []).compactMap { $0["name"].string }.joined(separator: ","))
        },
        TableColumn("Images", description: "The template's container images.") { pt, _ in
            .string((pt["template"]["spec"]["containers"].array ?? []).compactMap { $0["image"].string }.joined(separator: ","))
        },
        TableColumn("Pod Labels", description: "Labels of the template's pods.") { pt, _ in
            .string(TableCells.labels(pt["template"]["metadata"]["labels"]))
        },
    ]

    /// "name: used/hard" for each hard resource, requests or `limits.*` ones, in name order.
    static func quotaUsage(_ rq: JSON, limits: Bool) -> String {
        let hard = rq["status"]["hard"].object ?? [:]
        let used = rq["status"]["used"]
        return hard.keys.sorted().filter { $0.hasPrefix("limits.") == limits }.map { name in
            let usedText = used[name].isNull ? "0" : TableCells.quantity(used[name])
            return "\(name): \(usedText)/\(TableCells.quantity(hard[name] ?? .null))"
        }.joined(separator: ", ")
    }
}
