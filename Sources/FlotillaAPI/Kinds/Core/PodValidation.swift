import FlotillaCore
import Foundation

/// Kubernetes' validation of pods and pod templates (`ValidatePodSpec` and friends), with the
/// same field paths and wording. Workload kinds call ``validatePodTemplate(_:path:)``.
public enum PodValidation {
    static let protocols = ["SCTP", "TCP", "UDP"]
    static let restartPolicies = ["Always", "Never", "OnFailure"]
    static let dnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]
    static let terminationMessagePolicies = ["FallbackToLogsOnError", "File"]
    static let taintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"]
    static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
    static let volumeSources = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
        "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
        "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
        "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
    ]
    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
    static let portRangeMessage = "must be between 1 and 65535, inclusive"

    /// The problems with a pod template (`metadata.labels` and annotations, and the spec) at `path`.
    public static func validatePodTemplate(_ template: JSON, path: String) -> [FlotillaError.Cause] {
        let meta = template["metadata"]
        var causes = ObjectMetaValidation.validateLabels(meta["labels"], path: FieldPath.child(path, "metadata.labels"))
        causes += ObjectMetaValidation.validateAnnotations(meta["annotations"], path: FieldPath.child(path, "metadata.annotations"))
        causes += validatePodSpec(template["spec"], path: FieldPath.child(path, "spec"))
        return causes
    }

    /// The problems with a pod spec at `path` (e.g. `spec` or `spec.template.spec`).
    public static func validatePodSpec(_ spec: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let volumes = validateVolumes(spec["volumes"], path: FieldPath.child(path, "volumes"), causes: &causes)

        var names = Set<String>()
        let initPath = FieldPath.child(path, "initContainers")
        for (i, c) in (spec["initContainers"].array ?? []).enumerated() {
            let p = FieldPath.index(initPath, i)
            causes += validateContainer(c, path: p, volumes: volumes, names: &names, kind: .initContainer)
        }
        let containersPath = FieldPath.child(path, "containers")
        let containers = spec["containers"].array ?? []
        if containers.isEmpty { causes.append(.required(containersPath)) }
        for (i, c) in containers.enumerated() {
            causes += validateContainer(c, path: FieldPath.index(containersPath, i), volumes: volumes, names: &names, kind: .regular)
        }
        if let grace = spec["terminationGracePeriodSeconds"].int {
            for (list, listPath) in [(spec["initContainers"], initPath), (spec["containers"], containersPath)] {
                for (i, c) in (list.array ?? []).enumerated() {
                    causes += validateSleepHooks(c, path: FieldPath.index(listPath, i), gracePeriod: grace)
                }
            }
        }
        let ephemeralPath = FieldPath.child(path, "ephemeralContainers")
        for (i, c) in (spec["ephemeralContainers"].array ?? []).enumerated() {
            causes += validateContainer(c, path: FieldPath.index(ephemeralPath, i), volumes: volumes, names: &names, kind: .ephemeral)
        }

        causes += enumValue(spec["restartPolicy"], FieldPath.child(path, "restartPolicy"), restartPolicies)
        causes += enumValue(spec["dnsPolicy"], FieldPath.child(path, "dnsPolicy"), dnsPolicies)
        if spec["dnsPolicy"].string == "None" && spec["dnsConfig"].object == nil {
            causes.append(.required(FieldPath.child(path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
        }
        causes += ObjectMetaValidation.validateLabels(spec["nodeSelector"], path: FieldPath.child(path, "nodeSelector"))
        causes += validateTolerations(spec["tolerations"], path: FieldPath.child(path, "tolerations"))
        if let grace = spec["terminationGracePeriodSeconds"].int, grace < 0 {
            causes.append(.invalid(FieldPath.child(path, "terminationGracePeriodSeconds"), .int(grace), "must be greater than or equal to 0"))
        }
        if let deadline = spec["activeDeadlineSeconds"].int, deadline < 1 || deadline > Int64(Int32.max) {
            causes.append(
                .invalid(FieldPath.child(path, "activeDeadlineSeconds"), .int(deadline), "must be between 1 and 2147483647, inclusive"))
        }
        for key in ["serviceAccountName", "nodeName"] {
            if let value = spec[key].string, !value.isEmpty {
                causes += NameValidation.dnsSubdomain(value).map { .invalid(FieldPath.child(path, key), value, $0) }
            }
        }
        for key in ["hostname", "subdomain"] {
            if let value = spec[key].string, !value.isEmpty {
                causes += NameValidation.dnsLabel(value).map { .invalid(FieldPath.child(path, key), value, $0) }
            }
        }
        return causes
    }

    /// The problems with a pod object (its spec under `spec`), and on update the changes a pod
    /// does not allow.
    public static func validatePod(_ pod: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes = validatePodSpec(pod["spec"], path: "spec")
        if let old { causes += validatePodUpdate(pod, old: old) }
        return causes
    }

    /// The Kubernetes rule that a pod's spec is immutable except for container images,
    /// `activeDeadlineSeconds`, added tolerations and a grace period of 1 after a negative one.
    public static func validatePodUpdate(_ pod: JSON, old: JSON) -> [FlotillaError.Cause] {
        var munged = pod["spec"]
        let oldSpec = old["spec"]
        for key in ["containers", "initContainers"] {
            guard var list = munged[key].array, let oldList = oldSpec[key].array, list.count == oldList.count else { continue }
            for i in list.indices where list[i].object != nil { list[i]["image"] = oldList[i]["image"] }
            munged[key] = .array(list)
        }
        var causes: [FlotillaError.Cause] = []
        let newDeadline = munged["activeDeadlineSeconds"].int
        let oldDeadline = oldSpec["activeDeadlineSeconds"].int
        if let newDeadline, oldDeadline == nil || newDeadline <= oldDeadline! {
            munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        }
        if let newTolerations = munged["tolerations"].array {
            let oldTolerations = oldSpec["tolerations"].array ?? []
            if oldTolerations.allSatisfy({ newTolerations.contains($0) }) {
                munged["tolerations"] = oldSpec["tolerations"]
            }
        }
        if munged["terminationGracePeriodSeconds"].int == 1, (oldSpec["terminationGracePeriodSeconds"].int ?? 0) < 0 {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        }
        munged["ephemeralContainers"] = oldSpec["ephemeralContainers"]
        if munged != oldSpec {
            let changed = Set((munged.object ?? [:]).keys).union(oldSpec.object?.keys ?? [])
                .filter { munged[$0] != oldSpec[$0] }.sorted()
            causes.append(
                .forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative); changed: "
                        + changed.map { "spec." + $0 }.joined(separator: ", ")))
        }
        return causes
    }

    // MARK: Containers

    enum ContainerKind { case initContainer, regular, ephemeral }

    static func validateContainer(
        _ c: JSON, path: String, volumes: [String: JSON], names: inout Set<String>, kind: ContainerKind
    ) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let namePath = FieldPath.child(path, "name")
        let name = c["name"].string ?? ""
        if name.isEmpty {
            causes.append(.required(namePath))
        } else {
            causes += NameValidation.dnsLabel(name).map { .invalid(namePath, name, $0) }
            if !names.insert(name).inserted { causes.append(.duplicate(namePath, name)) }
        }
        let image = c["image"].string ?? ""
        if image.isEmpty {
            causes.append(.required(FieldPath.child(path, "image")))
        } else if image.unicodeScalars.first!.properties.isWhitespace || image.unicodeScalars.last!.properties.isWhitespace {
            causes.append(.invalid(FieldPath.child(path, "image"), c["image"], "must not have leading or trailing whitespace"))
        }
        if !c["imagePullPolicy"].isNull {
            causes += enumValue(c["imagePullPolicy"], FieldPath.child(path, "imagePullPolicy"), pullPolicies)
        }
        if !c["terminationMessagePolicy"].isNull {
            causes += enumValue(c["terminationMessagePolicy"], FieldPath.child(path, "terminationMessagePolicy"), terminationMessagePolicies)
        }
        causes += validatePorts(c["ports"], path: FieldPath.child(path, "ports"))
        causes += validateEnv(c["env"], path: FieldPath.child(path, "env"))
        causes += validateEnvFrom(c["envFrom"], path: FieldPath.child(path, "envFrom"))
        causes += ResourceListValidation.containerResources(c["resources"], path: FieldPath.child(path, "resources"))
        causes += validateVolumeMounts(c["volumeMounts"], path: FieldPath.child(path, "volumeMounts"), volumes: volumes)

        let restartPolicy = c["restartPolicy"]
        switch kind {
        case .initContainer:
            if !restartPolicy.isNull { causes += enumValue(restartPolicy, FieldPath.child(path, "restartPolicy"), ["Always"]) }
            if restartPolicy.string != "Always" {
                for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] where !c[key].isNull {
                    causes.append(
                        .forbidden(FieldPath.child(path, key), "may not be set for init containers without restartPolicy=Always"))
                }
            }
        case .regular:
            if !restartPolicy.isNull {
                causes.append(.forbidden(FieldPath.child(path, "restartPolicy"), "may not be set for non-init containers"))
            }
        case .ephemeral:
            for key in ["ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resources", "restartPolicy"]
            where !(c[key].isNull || c[key] == .emptyObject || c[key] == .array([])) {
                causes.append(.forbidden(FieldPath.child(path, key), "cannot be set for an Ephemeral Container"))
            }
        }
        for key in ["livenessProbe", "readinessProbe", "startupProbe"] where c[key].object != nil {
            causes += validateProbe(c[key], path: FieldPath.child(path, key), requireSingleSuccess: key != "readinessProbe")
        }
        for hook in ["postStart", "preStop"] where c["lifecycle"][hook].object != nil {
            causes += validateHandler(
                c["lifecycle"][hook], path: FieldPath.child(path, "lifecycle.\(hook)"),
                kinds: ["exec", "httpGet", "tcpSocket", "sleep"])
        }
        return causes
    }

    static func validatePorts(_ ports: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        var names = Set<String>()
        for (i, port) in (ports.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            if let name = port["name"].string, !name.isEmpty {
                let problems = NameValidation.portName(name)
                if !problems.isEmpty {
                    causes += problems.map { .invalid(FieldPath.child(p, "name"), name, $0) }
                } else if !names.insert(name).inserted {
                    causes.append(.duplicate(FieldPath.child(p, "name"), name))
                }
            }
            let containerPort = port["containerPort"].int ?? 0
            if containerPort == 0 {
                causes.append(.required(FieldPath.child(p, "containerPort")))
            } else if !(1...65535).contains(containerPort) {
                causes.append(.invalid(FieldPath.child(p, "containerPort"), .int(containerPort), portRangeMessage))
            }
            if let hostPort = port["hostPort"].int, hostPort != 0, !(1...65535).contains(hostPort) {
                causes.append(.invalid(FieldPath.child(p, "hostPort"), .int(hostPort), portRangeMessage))
            }
            causes += enumValue(port["protocol"], FieldPath.child(p, "protocol"), protocols)
        }
        return causes
    }

    static func validateEnv(_ env: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, variable) in (env.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            let name = variable["name"].string ?? ""
            if name.isEmpty {
                causes.append(.required(FieldPath.child(p, "name")))
            } else {
                causes += NameValidation.cIdentifier(name).map { .invalid(FieldPath.child(p, "name"), name, $0) }
            }
            let source = variable["valueFrom"]
            guard source.object != nil else { continue }
            let sourcePath = FieldPath.child(p, "valueFrom")
            let kinds = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"].filter { source[$0].object != nil }
            if kinds.isEmpty {
                causes.append(
                    .invalid(sourcePath, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
            } else if kinds.count > 1 {
                causes.append(.invalid(sourcePath, "", "may not have more than one field specified at a time"))
            }
            if !(variable["value"].string ?? "").isEmpty {
                causes.append(.invalid(sourcePath, "", "may not be specified when `value` is not empty"))
            }
            if source["fieldRef"].object != nil {
                let fp = FieldPath.child(sourcePath, "fieldRef")
                if (source["fieldRef"]["fieldPath"].string ?? "").isEmpty { causes.append(.required(FieldPath.child(fp, "fieldPath"))) }
            }
            if source["resourceFieldRef"].object != nil, (source["resourceFieldRef"]["resource"].string ?? "").isEmpty {
                causes.append(.required(FieldPath.child(sourcePath, "resourceFieldRef.resource")))
            }
            for ref in ["configMapKeyRef", "secretKeyRef"] where source[ref].object != nil {
                let rp = FieldPath.child(sourcePath, ref)
                let key = source[ref]["key"].string ?? ""
                if key.isEmpty {
                    causes.append(.required(FieldPath.child(rp, "key")))
                } else {
                    causes += NameValidation.configMapKey(key).map { .invalid(FieldPath.child(rp, "key"), key, $0) }
                }
                if (source[ref]["name"].string ?? "").isEmpty { causes.append(.required(FieldPath.child(rp, "name"))) }
            }
        }
        return causes
    }

    static func validateEnvFrom(_ envFrom: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, source) in (envFrom.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            if let prefix = source["prefix"].string, !prefix.isEmpty {
                causes += NameValidation.cIdentifier(prefix).map { .invalid(FieldPath.child(p, "prefix"), prefix, $0) }
            }
            let kinds = ["configMapRef", "secretRef"].filter { source[$0].object != nil }
            if kinds.isEmpty {
                causes.append(.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if kinds.count > 1 {
                causes.append(.invalid(p, "", "may not have more than one field specified at a time"))
            }
            for kind in kinds {
                let name = source[kind]["name"].string ?? ""
                let np = FieldPath.child(p, "\(kind).name")
                if name.isEmpty {
                    causes.append(.required(np))
                } else {
                    causes += NameValidation.dnsSubdomain(name).map { .invalid(np, name, $0) }
                }
            }
        }
        return causes
    }

    static func validateVolumeMounts(_ mounts: JSON, path: String, volumes: [String: JSON]) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        var paths = Set<String>()
        for (i, mount) in (mounts.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            let name = mount["name"].string ?? ""
            if name.isEmpty {
                causes.append(.required(FieldPath.child(p, "name")))
            } else if volumes[name] == nil {
                causes.append(.notFound(FieldPath.child(p, "name"), .string(name)))
            }
            let mountPath = mount["mountPath"].string ?? ""
            if mountPath.isEmpty {
                causes.append(.required(FieldPath.child(p, "mountPath")))
            } else if !paths.insert(mountPath).inserted {
                causes.append(.invalid(FieldPath.child(p, "mountPath"), mountPath, "must be unique"))
            }
            if let sub = mount["subPath"].string, sub.hasPrefix("/") || sub.split(separator: "/").contains("..") {
                causes.append(.invalid(FieldPath.child(p, "subPath"), sub, "must be a relative path without '..'"))
            }
        }
        return causes
    }

    // MARK: Probes

    static func validateProbe(_ probe: JSON, path: String, requireSingleSuccess: Bool) -> [FlotillaError.Cause] {
        var causes = validateHandler(probe, path: path, kinds: ["exec", "httpGet", "tcpSocket", "grpc"])
        for key in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            if let v = probe[key].int, v < 0 {
                causes.append(.invalid(FieldPath.child(path, key), .int(v), "must be greater than or equal to 0"))
            }
        }
        if requireSingleSuccess, let success = probe["successThreshold"].int, success != 1 {
            causes.append(.invalid(FieldPath.child(path, "successThreshold"), .int(success), "must be 1"))
        }
        return causes
    }

    /// Exactly one of `kinds` is set, and its port is valid.
    /// A container's `sleep` lifecycle hooks last more than 0 seconds and no longer than the
    /// pod's grace period, as Kubernetes 1.30 requires.
    static func validateSleepHooks(_ c: JSON, path: String, gracePeriod: Int64) -> [FlotillaError.Cause] {
        ["postStart", "preStop"].compactMap { hook in
            let seconds = c["lifecycle"][hook]["sleep"]["seconds"]
            guard let value = seconds.int, value <= 0 || value > gracePeriod else { return nil }
            return .invalid(
                FieldPath.child(path, "lifecycle.\(hook).sleep.seconds"), seconds,
                "must be greater than 0 and less than terminationGracePeriodSeconds (\(gracePeriod))")
        }
    }

    static func validateHandler(_ handler: JSON, path: String, kinds: [String]) -> [FlotillaError.Cause] {
        let present = kinds.filter { !handler[$0].isNull }
        if present.isEmpty { return [.required(path, "must specify a handler type")] }
        var causes: [FlotillaError.Cause] = []
        for extra in present.dropFirst() {
            causes.append(.forbidden(FieldPath.child(path, extra), "may not specify more than 1 handler type"))
        }
        for kind in ["httpGet", "tcpSocket"] where present.contains(kind) {
            causes += validatePortNumOrName(handler[kind]["port"], path: FieldPath.child(path, "\(kind).port"))
        }
        if present.contains("grpc") {
            let port = handler["grpc"]["port"].int ?? 0
            if !(1...65535).contains(port) {
                causes.append(.invalid(FieldPath.child(path, "grpc.port"), .int(port), portRangeMessage))
            }
        }
        if present.contains("exec"), (handler["exec"]["command"].array ?? []).isEmpty {
            causes.append(.required(FieldPath.child(path, "exec.command")))
        }
        return causes
    }

    /// A port given as a number (1–65535) or an IANA service name.
    public static func validatePortNumOrName(_ port: JSON, path: String) -> [FlotillaError.Cause] {
        if let n = port.int {
            return (1...65535).contains(n) ? [] : [.invalid(path, .int(n), portRangeMessage)]
        }
        if let name = port.string {
            if let n = Int64(name) { return (1...65535).contains(n) ? [] : [.invalid(path, port, portRangeMessage)] }
            return NameValidation.portName(name).map { .invalid(path, port, $0) }
        }
        return [.required(path)]
    }

    // MARK: Volumes

    /// Validates the volumes and returns them by name (for volume mount checks).
    static func validateVolumes(_ volumes: JSON, path: String, causes: inout [FlotillaError.Cause]) -> [String: JSON] {
        var byName: [String: JSON] = [:]
        for (i, volume) in (volumes.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            let name = volume["name"].string ?? ""
            if name.isEmpty {
                causes.append(.required(FieldPath.child(p, "name")))
            } else {
                causes += NameValidation.dnsLabel(name).map { .invalid(FieldPath.child(p, "name"), name, $0) }
                if byName[name] != nil { causes.append(.duplicate(FieldPath.child(p, "name"), name)) }
                byName[name] = volume
            }
            let sources = volumeSources.filter { !volume[$0].isNull }
            if sources.isEmpty {
                causes.append(.required(p, "must specify a volume type"))
            }
            for extra in sources.dropFirst() {
                causes.append(.forbidden(FieldPath.child(p, extra), "may not specify more than 1 volume type"))
            }
            causes += validateVolumeSource(volume, path: p)
        }
        return byName
    }

    static func validateVolumeSource(_ v: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        func required(_ source: String, _ key: String) {
            if v[source].object != nil, (v[source][key].string ?? "").isEmpty {
                causes.append(.required(FieldPath.child(path, "\(source).\(key)")))
            }
        }
        required("hostPath", "path")
        required("secret", "secretName")
        required("configMap", "name")
        required("persistentVolumeClaim", "claimName")
        required("nfs", "server")
        required("nfs", "path")
        required("csi", "driver")
        if v["hostPath"].object != nil {
            causes += enumValue(v["hostPath"]["type"], FieldPath.child(path, "hostPath.type"), hostPathTypes, requiredWhenMissing: false)
        }
        for source in ["secret", "configMap", "downwardAPI", "projected"] where v[source].object != nil {
            if let mode = v[source]["defaultMode"].int, !(0...0o777).contains(mode) {
                causes.append(.invalid(FieldPath.child(path, "\(source).defaultMode"), .int(mode), fileModeMessage))
            }
            for (j, item) in (v[source]["items"].array ?? []).enumerated() {
                let ip = FieldPath.index(FieldPath.child(path, "\(source).items"), j)
                if source != "downwardAPI", (item["key"].string ?? "").isEmpty { causes.append(.required(FieldPath.child(ip, "key"))) }
                let itemPath = item["path"].string ?? ""
                if itemPath.isEmpty {
                    causes.append(.required(FieldPath.child(ip, "path")))
                } else if itemPath.hasPrefix("/") || itemPath.split(separator: "/").contains("..") {
                    causes.append(.invalid(FieldPath.child(ip, "path"), itemPath, "must be a relative path without '..'"))
                }
                if let mode = item["mode"].int, !(0...0o777).contains(mode) {
                    causes.append(.invalid(FieldPath.child(ip, "mode"), .int(mode), fileModeMessage))
                }
            }
        }
        let limit = v["emptyDir"]["sizeLimit"]
        if !limit.isNull, Quantity(json: limit) == nil {
            causes.append(.invalid(FieldPath.child(path, "emptyDir.sizeLimit"), limit, ResourceListValidation.malformedQuantityMessage))
        }
        return causes
    }

    // MARK: Tolerations

    static func validateTolerations(_ tolerations: JSON, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, t) in (tolerations.array ?? []).enumerated() {
            let p = FieldPath.index(path, i)
            let key = t["key"].string ?? ""
            let op = t["operator"].string ?? ""
            let value = t["value"].string ?? ""
            if !key.isEmpty { causes += ObjectMetaValidation.validateLabelKey(key, path: FieldPath.child(p, "key")) }
            if key.isEmpty && op != "Exists" {
                causes.append(
                    .invalid(
                        FieldPath.child(p, "operator"), op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            switch op {
            case "Equal", "":
                let problems = NameValidation.labelValue(value)
                if !problems.isEmpty {
                    causes.append(.invalid(FieldPath.child(p, "operator"), value, problems.joined(separator: ";")))
                }
            case "Exists":
                if !value.isEmpty {
                    causes.append(.invalid(FieldPath.child(p, "operator"), t, "value must be empty when `operator` is 'Exists'"))
                }
            default:
                causes.append(.notSupported(FieldPath.child(p, "operator"), op, ["Equal", "Exists"]))
            }
            let effect = t["effect"].string ?? ""
            if !effect.isEmpty && !taintEffects.contains(effect) {
                causes.append(.notSupported(FieldPath.child(p, "effect"), effect, taintEffects))
            }
            if !t["tolerationSeconds"].isNull && effect != "NoExecute" {
                causes.append(
                    .invalid(FieldPath.child(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
        }
        return causes
    }

    // MARK: Helpers

    /// `Required value` when missing (unless told otherwise), `Unsupported value` when not allowed.
    static func enumValue(
        _ value: JSON, _ path: String, _ allowed: [String], requiredWhenMissing: Bool = true
    ) -> [FlotillaError.Cause] {
        guard let text = value.string else {
            if value.isNull { return requiredWhenMissing ? [.required(path)] : [] }
            return [.notSupported(path, value, allowed)]
        }
        if text.isEmpty && requiredWhenMissing { return [.required(path)] }
        return allowed.contains(text) ? [] : [.notSupported(path, text, allowed)]
    }
}
