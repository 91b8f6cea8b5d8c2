import FlotillaCore

/// The autoscaling/v2 `horizontalpodautoscalers` resource: defaults, validation and columns.
enum HorizontalPodAutoscalers {
    static let resource = ResourceDefinition(
        group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
        namespaced: true, shortNames: ["hpa"], categories: ["all"],
        subresources: [Subresources.status("autoscaling", "v2", "HorizontalPodAutoscaler")],
        schema: AutoscalingSchemas.v2 + "HorizontalPodAutoscaler", hasStatusSubresource: true,
        columns: columns, defaulter: { defaults(&$0) }, validator: { validate($0, $1) })

    /// The behaviour Kubernetes assumes for a direction that is left out.
    static let defaultScaleUp: JSON = [
        "stabilizationWindowSeconds": 0, "selectPolicy": "Max",
        "policies": [["type": "Pods", "value": 4, "periodSeconds": 15], ["type": "Percent", "value": 100, "periodSeconds": 15]],
    ]
    static let defaultScaleDown: JSON = [
        "selectPolicy": "Max", "policies": [["type": "Percent", "value": 100, "periodSeconds": 15]],
    ]

    /// minReplicas 1; metrics 80% average CPU utilization when empty; a given `behavior` gets
    /// every missing rule field from the defaults of its direction; no round-trip annotations.
    static func defaults(_ object: inout JSON) {
        dropRoundTripAnnotations(&object)
        object.fillIfAbsent(["spec", "minReplicas"], 1)
        if (object[path: ["spec", "metrics"]].array ?? []).isEmpty {
            object[path: ["spec", "metrics"]] = [[
                "type": "Resource",
                "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]],
            ]]
        }
        guard object[path: ["spec", "behavior"]].object != nil else { return }
        for (direction, fallback) in [("scaleUp", defaultScaleUp), ("scaleDown", defaultScaleDown)] {
            let path = ["spec", "behavior", direction]
            if object[path: path].isNull {
                object[path: path] = fallback
                continue
            }
            for key in ["stabilizationWindowSeconds", "selectPolicy", "policies"] where !fallback[key].isNull {
                object.fillIfAbsent(path + [key], fallback[key])
            }
        }
    }

    /// Removes the annotations that carry v2 fields through autoscaling/v1: a v2 object holds
    /// those fields themselves.
    static func dropRoundTripAnnotations(_ object: inout JSON) {
        guard var annotations = object[path: ["metadata", "annotations"]].object else { return }
        let before = annotations.count
        for (key, _) in HorizontalPodAutoscalerConversion.roundTripAnnotations { annotations.removeValue(forKey: key) }
        guard annotations.count != before else { return }
        object[path: ["metadata", "annotations"]] = annotations.isEmpty ? .null : .object(annotations)
    }

    static func validate(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = scaleTargetRefCauses(spec["scaleTargetRef"]) + replicaBoundCauses(spec)
        for (i, metric) in (spec["metrics"].array ?? []).enumerated() {
            causes += metricSpec(metric, path: "spec.metrics[\(i)]")
        }
        for direction in ["scaleUp", "scaleDown"] {
            let rules = spec[path: ["behavior", direction]]
            if !rules.isNull { causes += scalingRules(rules, path: "spec.behavior.\(direction)") }
        }
        return causes
    }

    /// The problems of `spec.scaleTargetRef`: kind and name required, each a valid path segment.
    static func scaleTargetRefCauses(_ ref: JSON) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for key in ["kind", "name"] {
            let value = ref[key].string ?? ""
            if value.isEmpty {
                causes.append(.required("spec.scaleTargetRef.\(key)"))
            } else {
                for message in NameValidation.pathSegmentName(value) {
                    causes.append(.invalid("spec.scaleTargetRef.\(key)", value, message))
                }
            }
        }
        return causes
    }

    /// The problems of `spec.minReplicas` and `spec.maxReplicas`: at least 1, max not below min.
    static func replicaBoundCauses(_ spec: JSON) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let minReplicas = spec["minReplicas"].int
        if let m = minReplicas, m < 1 {
            causes.append(.invalid("spec.minReplicas", .int(m), "must be greater than or equal to 1"))
        }
        let maxReplicas = spec["maxReplicas"].int ?? 0
        if maxReplicas < 1 {
            causes.append(.invalid("spec.maxReplicas", .int(maxReplicas), "must be greater than 0"))
        }
        if let m = minReplicas, maxReplicas < m {
            causes.append(.invalid("spec.maxReplicas", .int(maxReplicas), "must be greater than or equal to `minReplicas`"))
        }
        return causes
    }

    private static let sourceFields = [
        "Resource": "resource", "Pods": "pods", "Object": "object", "External": "external", "ContainerResource": "containerResource",
    ]

    private static func metricSpec(_ metric: JSON, path: String) -> [FlotillaError.Cause] {
        let type = metric["type"].string ?? ""
        guard !type.isEmpty else { return [.required(path + ".type", "must specify a metric source type")] }
        guard let member = sourceFields[type] else {
            return [.notSupported(path + ".type", type, ["ContainerResource", "External", "Object", "Pods", "Resource"])]
        }
        var causes: [FlotillaError.Cause] = []
        let populated = sourceFields.values.filter { !metric[$0].isNull }
        if populated.count > 1 || (populated.count == 1 && populated[0] != member) {
            causes.append(.forbidden(path, "must populate the given metric source only"))
        }
        let source = metric[member]
        let sourcePath = "\(path).\(member)"
        if source.isNull {
            causes.append(.required(sourcePath, "must populate information for the given metric source"))
            return causes
        }
        if member == "resource" || member == "containerResource" {
            if (source["name"].string ?? "").isEmpty { causes.append(.required(sourcePath + ".name", "must specify a resource name")) }
        } else if (source[path: ["metric", "name"]].string ?? "").isEmpty {
            causes.append(.required(sourcePath + ".metric.name", "must specify a metric name"))
        }
        if member == "containerResource", (source["container"].string ?? "").isEmpty {
            causes.append(.required(sourcePath + ".container", "must specify a container"))
        }
        causes += metricTarget(source["target"], path: sourcePath + ".target")
        return causes
    }

    private static func metricTarget(_ target: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let type = target["type"].string ?? ""
        if type.isEmpty {
            causes.append(.required(path + ".type", "must specify a metric target type"))
        } else if !["Utilization", "Value", "AverageValue"].contains(type) {
            causes.append(.notSupported(path + ".type", type, ["AverageValue", "Utilization", "Value"]))
        }
        if let u = target["averageUtilization"].int, u < 1 {
            causes.append(.invalid(path + ".averageUtilization", .int(u), "must be greater than 0"))
        }
        if target["value"].isNull && target["averageValue"].isNull && target["averageUtilization"].isNull {
            causes.append(.required(path, "must set either a target value or averageValue or averageUtilization"))
        }
        return causes
    }

    private static func scalingRules(_ rules: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        if let w = rules["stabilizationWindowSeconds"].int, w < 0 || w > 3600 {
            causes.append(.invalid(path + ".stabilizationWindowSeconds", .int(w), w < 0 ? "must be greater than or equal to zero" : "must be less than or equal to 3600"))
        }
        if let select = rules["selectPolicy"].string, !["Max", "Min", "Disabled"].contains(select) {
            causes.append(.notSupported(path + ".selectPolicy", select, ["Disabled", "Max", "Min"]))
        }
        for (i, policy) in (rules["policies"].array ?? []).enumerated() {
            let p = "\(path).policies[\(i)]"
            let type = policy["type"].string ?? ""
            if type != "Pods" && type != "Percent" { causes.append(.notSupported(p + ".type", type, ["Percent", "Pods"])) }
            let value = policy["value"].int ?? 0
            if value <= 0 { causes.append(.invalid(p + ".value", .int(value), "must be greater than zero")) }
            let period = policy["periodSeconds"].int ?? 0
            if period <= 0 { causes.append(.invalid(p + ".periodSeconds", .int(period), "must be greater than zero")) }
            if period > 1800 { causes.append(.invalid(p + ".periodSeconds", .int(period), "must be less than or equal to 1800")) }
        }
        return causes
    }

    // MARK: Columns

    static let columns: [TableColumn] = [
        TableColumn("Reference", description: "The scaled resource, as Kind/name.") { o, _ in
            .string("\(o[path: ["spec", "scaleTargetRef", "kind"]].string ?? "")/\(o[path: ["spec", "scaleTargetRef", "name"]].string ?? "")")
        },
        TableColumn("Targets", description: "Current and target values of the metrics.") { o, _ in
            .string(targets(o))
        },
        TableColumn("MinPods", description: "The fewest replicas.") { o, _ in
            .string(o[path: ["spec", "minReplicas"]].int.map(String.init) ?? "<unset>")
        },
        TableColumn("MaxPods", type: "integer", description: "The most replicas.") { o, _ in
            WorkloadColumns.integer(o, ["spec", "maxReplicas"])
        },
        TableColumn("Replicas", type: "integer", description: "The replica count last seen.") { o, _ in
            WorkloadColumns.integer(o, ["status", "currentReplicas"])
        },
        .age,
    ]

    /// `cpu: 40%/80%, memory: <unknown>/200Mi + 1 more...`, or `<none>` without metrics.
    static func targets(_ hpa: JSON) -> String {
        let specs = hpa[path: ["spec", "metrics"]].array ?? []
        guard !specs.isEmpty else { return "<none>" }
        let statuses = hpa[path: ["status", "currentMetrics"]].array ?? []
        var list: [String] = []
        for (i, spec) in specs.enumerated() {
            let status = i < statuses.count ? statuses[i] : .null
            list.append(target(spec, status))
        }
        let shown = 2
        guard list.count > shown else { return list.joined(separator: ", ") }
        return list.prefix(shown).joined(separator: ", ") + " + \(list.count - shown) more..."
    }

    private static func target(_ spec: JSON, _ status: JSON) -> String {
        guard let member = sourceFields[spec["type"].string ?? ""] else { return "<unknown type>" }
        let source = spec[member]
        let goal = source["target"]
        let current = status[member]["current"]
        switch member {
        case "resource", "containerResource":
            let name = source["name"].string ?? ""
            if !goal["averageValue"].isNull {
                return "\(name): \(quantity(current["averageValue"]) ?? "<unknown>")/\(quantity(goal["averageValue"]) ?? "")"
            }
            let have = current["averageUtilization"].int.map { "\($0)%" } ?? "<unknown>"
            let want = goal["averageUtilization"].int.map { "\($0)%" } ?? "<auto>"
            return "\(name): \(have)/\(want)"
        case "pods":
            return "\(quantity(current["averageValue"]) ?? "<unknown>")/\(quantity(goal["averageValue"]) ?? "")"
        default:
            if !goal["averageValue"].isNull {
                return "\(quantity(current["averageValue"]) ?? "<unknown>")/\(quantity(goal["averageValue"]) ?? "") (avg)"
            }
            return "\(quantity(current["value"]) ?? "<unknown>")/\(quantity(goal["value"]) ?? "")"
        }
    }

    /// A quantity in its canonical form, nil when absent.
    private static func quantity(_ value: JSON) -> String? {
        value.isNull ? nil : TableCells.quantity(value)
    }
}
