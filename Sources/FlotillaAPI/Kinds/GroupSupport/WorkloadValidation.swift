import FlotillaCore

/// Checks shared by the workload kinds (deployments, replica sets, daemon sets, stateful sets,
/// jobs) and the budget and autoscaler kinds, worded as Kubernetes words them.
enum WorkloadValidation {
    /// `must be greater than or equal to 0` when `value` is a negative integer.
    static func nonNegative(_ value: JSON, _ path: String) -> [FlotillaError.Cause] {
        guard let n = value.int, n < 0 else { return [] }
        return [.invalid(path, .int(n), "must be greater than or equal to 0")]
    }

    /// `must be greater than 0` when `value` is an integer below 1.
    static func positive(_ value: JSON, _ path: String) -> [FlotillaError.Cause] {
        guard let n = value.int, n <= 0 else { return [] }
        return [.invalid(path, .int(n), "must be greater than 0")]
    }

    /// An `intOrString` that must be a non-negative integer or a percentage such as "25%"
    /// (Kubernetes' `ValidatePositiveIntOrPercent`).
    static func intOrPercent(_ value: JSON, _ path: String) -> [FlotillaError.Cause] {
        switch value {
        case .null:
            return []
        case .string(let s):
            guard let percent = percentValue(s) else {
                return [.invalid(path, s, "must be an integer or percentage (e.g '5%')")]
            }
            return percent < 0 ? [.invalid(path, .int(percent), "must be greater than or equal to 0")] : []
        default:
            guard value.int != nil else {
                return [.invalid(path, value, "must be an integer or percentage (e.g '5%')")]
            }
            return nonNegative(value, path)
        }
    }

    /// `must not be greater than 100%` for a percentage above 100.
    static func notMoreThan100Percent(_ value: JSON, _ path: String) -> [FlotillaError.Cause] {
        guard let s = value.string, let percent = percentValue(s), percent > 100 else { return [] }
        return [.invalid(path, s, "must not be greater than 100%")]
    }

    /// The number in an `intOrString`: the integer, or the percentage's number ("25%" → 25).
    static func intOrPercentNumber(_ value: JSON) -> Int64? {
        if let s = value.string { return percentValue(s) }
        return value.int
    }

    /// The number of a percentage string such as "25%" (Kubernetes accepts an optional sign
    /// followed by digits, then `%`).
    static func percentValue(_ text: String) -> Int64? {
        guard text.hasSuffix("%") else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else { return nil }
        return Int64(digits)
    }

    /// The selector checks of a workload spec at `path` (`spec` or `spec.jobTemplate.spec`):
    /// present when `required`, a valid label selector, not empty unless `allowEmpty` (`empty
    /// selector is invalid for <kindWord>`), and matching the labels of `template`.
    static func selectorAndTemplate(
        _ spec: JSON, path: String, kindWord: String, required: Bool = true, allowEmpty: Bool = false
    ) -> [FlotillaError.Cause] {
        let selectorPath = FieldPath.child(path, "selector")
        let selector = spec["selector"]
        if selector.isNull {
            return required ? [.required(selectorPath)] : []
        }
        var causes = ObjectMetaValidation.validateLabelSelector(selector, path: selectorPath)
        guard causes.isEmpty else { return causes }
        guard let parsed = try? LabelSelector(json: selector) else {
            return [.invalid(selectorPath, selector, "invalid label selector")]
        }
        if parsed.isEmpty && !allowEmpty {
            causes.append(.invalid(selectorPath, selector, "empty selector is invalid for \(kindWord)"))
            return causes
        }
        let labels = spec[path: ["template", "metadata", "labels"]]
        if !parsed.matches(labels: labels) {
            causes.append(selectorMismatch(labels, path: FieldPath.child(path, "template.metadata.labels")))
        }
        return causes
    }

    /// Kubernetes' complaint when a selector does not select its own template's pods; the
    /// labels are printed the way Go prints a `map[string]string`.
    static func selectorMismatch(_ labels: JSON, path: String) -> FlotillaError.Cause {
        let entries = (labels.object ?? [:]).map { ($0.key, $0.value.string ?? "") }.sorted { $0.0 < $1.0 }
        let map = "map[string]string{" + entries.map { "\(FlotillaError.Cause.goQuoted($0.0)):\(FlotillaError.Cause.goQuoted($0.1))" }.joined(separator: ", ") + "}"
        return FlotillaError.Cause(
            reason: "FieldValueInvalid",
            message: "Invalid value: \(map): `selector` does not match template `labels`",
            field: path)
    }

    /// `field is immutable` when the value at `path` differs between `new` and `old`.
    static func immutable(_ new: JSON, _ old: JSON, path: [String], label: String) -> [FlotillaError.Cause] {
        let a = new[path: path]
        let b = old[path: path]
        return a.isEquivalent(to: b) ? [] : [.invalid(label, a, "field is immutable")]
    }

    /// The pod template's `restartPolicy` must be `Always` (deployments, replica sets, daemon
    /// sets, stateful sets).
    static func restartPolicyAlways(_ spec: JSON, path: String) -> [FlotillaError.Cause] {
        let policyPath = FieldPath.child(path, "template.spec.restartPolicy")
        let policy = spec[path: ["template", "spec", "restartPolicy"]]
        guard let value = policy.string, value != "Always" else { return [] }
        return [.notSupported(policyPath, value, ["Always"])]
    }

    /// The pod template may not set `activeDeadlineSeconds` (long-running workloads); `kind`
    /// names the workload in the message, e.g. `ReplicaSet`.
    static func noActiveDeadline(_ spec: JSON, path: String, kind: String) -> [FlotillaError.Cause] {
        let value = spec[path: ["template", "spec", "activeDeadlineSeconds"]]
        guard !value.isNull else { return [] }
        return [.invalid(FieldPath.child(path, "template.spec.activeDeadlineSeconds"), value, "activeDeadlineSeconds in \(kind) is not Supported")]
    }
}
