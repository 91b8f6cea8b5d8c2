import FlotillaCore

/// The autoscaling/v1 `horizontalpodautoscalers` resource: the v2 objects served through
/// ``HorizontalPodAutoscalerConversion``, with v1's own validation and columns.
enum HorizontalPodAutoscalersV1 {
    static let resource = ResourceDefinition(
        group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
        namespaced: true, shortNames: ["hpa"], categories: ["all"],
        subresources: [Subresources.status("autoscaling", "v1", "HorizontalPodAutoscaler")],
        schema: AutoscalingSchemas.v1 + "HorizontalPodAutoscaler", hasStatusSubresource: true,
        columns: columns, validator: { object, _ in validate(object) },
        conversion: ResourceDefinition.Conversion(
            storageVersion: "v2", toStorage: HorizontalPodAutoscalerConversion.v2(fromV1:),
            fromStorage: HorizontalPodAutoscalerConversion.v1(fromV2:)))

    /// The rules a v1 object breaks in v1's own terms (its field paths), checked before it is
    /// converted: the target reference, the replica bounds, the CPU target and the annotations
    /// that carry v2 fields.
    static func validate(_ object: JSON) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = HorizontalPodAutoscalers.scaleTargetRefCauses(spec["scaleTargetRef"])
        causes += HorizontalPodAutoscalers.replicaBoundCauses(spec)
        if let target = spec["targetCPUUtilizationPercentage"].int, target < 1 {
            causes.append(.invalid("spec.targetCPUUtilizationPercentage", .int(target), "must be greater than or equal to 1"))
        }
        let annotations = object[path: ["metadata", "annotations"]]
        for (key, isArray) in HorizontalPodAutoscalerConversion.roundTripAnnotations where !annotations[key].isNull {
            if let problem = HorizontalPodAutoscalerConversion.annotationProblem(annotations[key], isArray: isArray) {
                causes.append(.invalid("metadata.annotations[\(key)]", annotations[key], problem))
            }
        }
        return causes
    }

    /// v2's columns; TARGETS reads the metrics of the v2 form, which carries all of them.
    static let columns: [TableColumn] = HorizontalPodAutoscalers.columns.map { column in
        guard column.name == "Targets" else { return column }
        var targets = column
        targets.cell = { object, now in column.cell((try? HorizontalPodAutoscalerConversion.v2(fromV1: object)) ?? object, now) }
        return targets
    }
}
