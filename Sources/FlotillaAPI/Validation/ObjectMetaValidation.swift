import FlotillaCore

/// The checks every object's `metadata` passes (Kubernetes' `ValidateObjectMeta`), and the
/// shared checks of labels, annotations and label selectors. The API server calls
/// ``validate(_:nameRule:namespaced:)`` for every object it stores.
public enum ObjectMetaValidation {
    /// The total size limit of an object's annotations (keys plus values), in bytes.
    public static let totalAnnotationSizeLimit = 256 * 1024

    /// The problems with an object's `metadata`: name or generateName present and valid by
    /// `nameRule`, namespace present (and a DNS label) for namespaced kinds and absent
    /// otherwise, labels, annotations, finalizers and owner references.
    public static func validate(
        _ meta: JSON, nameRule: ResourceDefinition.NameRule, namespaced: Bool
    ) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let generateName = meta["generateName"].string ?? ""
        if !generateName.isEmpty {
            for msg in NameValidation.validate(generateName, rule: nameRule, prefix: true) {
                causes.append(.invalid("metadata.generateName", generateName, msg))
            }
        }
        let name = meta["name"].string ?? ""
        if name.isEmpty {
            if generateName.isEmpty {
                causes.append(.required("metadata.name", "name or generateName is required"))
            }
        } else {
            for msg in NameValidation.validate(name, rule: nameRule) {
                causes.append(.invalid("metadata.name", name, msg))
            }
        }
        let namespace = meta["namespace"].string ?? ""
        if namespaced {
            if namespace.isEmpty {
                causes.append(.required("metadata.namespace"))
            } else {
                for msg in NameValidation.dnsLabel(namespace) {
                    causes.append(.invalid("metadata.namespace", namespace, msg))
                }
            }
        } else if !namespace.isEmpty {
            causes.append(.forbidden("metadata.namespace", "not allowed on this type"))
        }
        if let generation = meta["generation"].int, generation < 0 {
            causes.append(.invalid("metadata.generation", .int(generation), "must be greater than or equal to 0"))
        }
        causes += validateLabels(meta["labels"], path: "metadata.labels")
        causes += validateAnnotations(meta["annotations"], path: "metadata.annotations")
        causes += validateFinalizers(meta["finalizers"], path: "metadata.finalizers")
        causes += validateOwnerReferences(meta["ownerReferences"], path: "metadata.ownerReferences")
        return causes
    }

    /// Label keys are qualified names and values valid label values; problems are reported at
    /// `path` itself, as Kubernetes does.
    public static func validateLabels(_ labels: JSON, path: String) -> [FlotillaError.Cause] {
        guard let object = labels.object else { return [] }
        var causes: [FlotillaError.Cause] = []
        for (key, value) in object {
            causes += validateLabelKey(key, path: path)
            if let text = value.string {
                for msg in NameValidation.labelValue(text) { causes.append(.invalid(path, text, msg)) }
            }
        }
        return causes
    }

    /// A label key (also a selector requirement key) is a qualified name.
    public static func validateLabelKey(_ key: String, path: String) -> [FlotillaError.Cause] {
        NameValidation.qualifiedName(key).map { .invalid(path, key, $0) }
    }

    /// Annotation keys are qualified names (case-insensitive) and the total size of keys and
    /// values is at most 256 KiB.
    public static func validateAnnotations(_ annotations: JSON, path: String) -> [FlotillaError.Cause] {
        guard let object = annotations.object else { return [] }
        var causes: [FlotillaError.Cause] = []
        var size = 0
        for (key, value) in object {
            for msg in NameValidation.qualifiedName(key.lowercased()) { causes.append(.invalid(path, key, msg)) }
            size += key.utf8.count + (value.string?.utf8.count ?? 0)
        }
        if size > totalAnnotationSizeLimit { causes.append(.tooLong(path, maxBytes: totalAnnotationSizeLimit)) }
        return causes
    }

    /// Finalizers are qualified names and appear once each.
    public static func validateFinalizers(_ finalizers: JSON, path: String) -> [FlotillaError.Cause] {
        guard let list = finalizers.array else { return [] }
        var causes: [FlotillaError.Cause] = []
        var seen = Set<String>()
        for (i, item) in list.enumerated() {
            guard let name = item.string else { continue }
            for msg in NameValidation.qualifiedName(name) { causes.append(.invalid(FieldPath.index(path, i), name, msg)) }
            if !seen.insert(name).inserted { causes.append(.duplicate(FieldPath.index(path, i), name)) }
        }
        return causes
    }

    /// Owner references name their apiVersion, kind, name and uid; at most one is the controller.
    public static func validateOwnerReferences(_ references: JSON, path: String) -> [FlotillaError.Cause] {
        guard let list = references.array else { return [] }
        var causes: [FlotillaError.Cause] = []
        var controllers: [String] = []
        for ref in list {
            for key in ["apiVersion", "kind", "name", "uid"] where (ref[key].string ?? "").isEmpty {
                causes.append(.invalid(path, ref[key].string ?? "", "\(key) must not be empty"))
            }
            if ref["controller"].bool == true {
                controllers.append(
                    "{APIVersion:\(ref["apiVersion"].string ?? "") Kind:\(ref["kind"].string ?? "") Name:\(ref["name"].string ?? "") UID:\(ref["uid"].string ?? "")}"
                )
            }
        }
        if controllers.count > 1 {
            causes.append(
                .invalid(
                    path, .array(list),
                    "Only one reference can have Controller set to true. Found \"true\" in references for "
                        + controllers.joined(separator: " and ")))
        }
        return causes
    }

    /// The problems with a `LabelSelector` at `path`: valid matchLabels, and matchExpressions
    /// with a valid key, an operator In/NotIn (values required) or Exists/DoesNotExist (values
    /// forbidden), and valid label values.
    public static func validateLabelSelector(_ selector: JSON, path: String) -> [FlotillaError.Cause] {
        guard selector.object != nil else { return [] }
        var causes = validateLabels(selector["matchLabels"], path: FieldPath.child(path, "matchLabels"))
        for (i, requirement) in (selector["matchExpressions"].array ?? []).enumerated() {
            let p = FieldPath.index(FieldPath.child(path, "matchExpressions"), i)
            let values = requirement["values"].array ?? []
            let op = requirement["operator"].string ?? ""
            switch op {
            case "In", "NotIn":
                if values.isEmpty {
                    causes.append(.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    causes.append(.forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            default:
                causes.append(.invalid(p + ".operator", op, "not a valid selector operator"))
            }
            causes += validateLabelKey(requirement["key"].string ?? "", path: p + ".key")
            for (j, value) in values.enumerated() {
                guard let text = value.string else { continue }
                for msg in NameValidation.labelValue(text) {
                    causes.append(.invalid(FieldPath.index(p + ".values", j), text, msg))
                }
            }
        }
        return causes
    }
}
