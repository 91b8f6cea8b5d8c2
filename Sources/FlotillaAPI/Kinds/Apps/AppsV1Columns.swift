import FlotillaCore

/// The `kubectl get` columns of the apps/v1 resources, after NAME.
enum AppsV1Columns {
    static let deployments: [TableColumn] = [
        TableColumn("Ready", description: "Ready pods out of desired pods.") { o, _ in
            WorkloadColumns.ratio(o, ["status", "readyReplicas"], ["spec", "replicas"])
        },
        TableColumn("Up-to-date", type: "integer", description: "Pods running the current template.") { o, _ in
            WorkloadColumns.integer(o, ["status", "updatedReplicas"])
        },
        TableColumn("Available", type: "integer", description: "Pods available to serve.") { o, _ in
            WorkloadColumns.integer(o, ["status", "availableReplicas"])
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "template"]),
        WorkloadColumns.images(template: ["spec", "template"]),
        WorkloadColumns.selector(["spec", "selector"]),
    ]

    static let replicaSets: [TableColumn] = [
        TableColumn("Desired", type: "integer", description: "Pods wanted.") { o, _ in
            WorkloadColumns.integer(o, ["spec", "replicas"])
        },
        TableColumn("Current", type: "integer", description: "Pods that exist.") { o, _ in
            WorkloadColumns.integer(o, ["status", "replicas"])
        },
        TableColumn("Ready", type: "integer", description: "Pods that are ready.") { o, _ in
            WorkloadColumns.integer(o, ["status", "readyReplicas"])
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "template"]),
        WorkloadColumns.images(template: ["spec", "template"]),
        WorkloadColumns.selector(["spec", "selector"]),
    ]

    static let daemonSets: [TableColumn] = [
        TableColumn("Desired", type: "integer", description: "Nodes that should run the daemon pod.") { o, _ in
            WorkloadColumns.integer(o, ["status", "desiredNumberScheduled"])
        },
        TableColumn("Current", type: "integer", description: "Nodes that run the daemon pod.") { o, _ in
            WorkloadColumns.integer(o, ["status", "currentNumberScheduled"])
        },
        TableColumn("Ready", type: "integer", description: "Nodes whose daemon pod is ready.") { o, _ in
            WorkloadColumns.integer(o, ["status", "numberReady"])
        },
        TableColumn("Up-to-date", type: "integer", description: "Nodes that run the current template.") { o, _ in
            WorkloadColumns.integer(o, ["status", "updatedNumberScheduled"])
        },
        TableColumn("Available", type: "integer", description: "Nodes whose daemon pod is available.") { o, _ in
            WorkloadColumns.integer(o, ["status", "numberAvailable"])
        },
        TableColumn("Node Selector", description: "The node selector of the pod template.") { o, _ in
            .string(TableCells.labels(o[path: ["spec", "template", "spec", "nodeSelector"]]))
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "template"]),
        WorkloadColumns.images(template: ["spec", "template"]),
        WorkloadColumns.selector(["spec", "selector"]),
    ]

    static let statefulSets: [TableColumn] = [
        TableColumn("Ready", description: "Ready pods out of desired pods.") { o, _ in
            WorkloadColumns.ratio(o, ["status", "readyReplicas"], ["spec", "replicas"])
        },
        .age,
        WorkloadColumns.containers(template: ["spec", "template"]),
        WorkloadColumns.images(template: ["spec", "template"]),
    ]

    static let controllerRevisions: [TableColumn] = [
        TableColumn("Controller", description: "The object that owns this revision.") { o, _ in
            .string(controllerName(o))
        },
        TableColumn("Revision", type: "integer", description: "The revision number.") { o, _ in
            WorkloadColumns.integer(o, ["revision"])
        },
        .age,
    ]

    /// `daemonset.apps/web` for the controlling owner, `<none>` without one.
    static func controllerName(_ object: JSON) -> String {
        let owners = object[path: ["metadata", "ownerReferences"]].array ?? []
        guard let owner = owners.first(where: { $0["controller"].bool == true }) else { return "<none>" }
        let apiVersion = owner["apiVersion"].string ?? ""
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let kind = (owner["kind"].string ?? "").lowercased()
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return "\(qualified)/\(owner["name"].string ?? "")"
    }
}
