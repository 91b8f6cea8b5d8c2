import FlotillaCore
import Foundation

/// Kubernetes' validation of the core kinds other than pods and services: config maps,
/// secrets, namespaces, nodes, persistent volumes and claims, events, quotas and limit ranges.
public enum CoreValidation {
    /// The most data a config map or secret may hold, in bytes.
    public static let maxDataSize = 1024 * 1024
    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
    static let immutableMessage = "field is immutable when `immutable` is set"
    /// The volume source members of a PersistentVolumeSpec.
    public static let persistentVolumeSourceNames = [
        "gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "iscsi", "cinder", "cephfs",
        "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "local", "storageos", "csi",
    ]

    /// ConfigMap: valid keys, no key in both data and binaryData, 1 MiB in total, and no data
    /// change once immutable.
    public static func configMap(_ cm: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        var size = 0
        let data = cm["data"].object ?? [:]
        let binary = cm["binaryData"].object ?? [:]
        for (key, value) in data {
            causes += NameValidation.configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            if binary[key] != nil { causes.append(.invalid("data[\(key)]", key, "duplicate of key present in binaryData")) }
            size += value.string?.utf8.count ?? 0
        }
        for (key, value) in binary {
            causes += NameValidation.configMapKey(key).map { .invalid("binaryData[\(key)]", key, $0) }
            if data[key] != nil { causes.append(.invalid("binaryData[\(key)]", key, "duplicate of key present in data")) }
            if let text = value.string {
                if let decoded = Data(base64Encoded: text) { size += decoded.count } else {
                    causes.append(.invalid("binaryData[\(key)]", "<binary data>", "must be base64-encoded"))
                }
            }
        }
        if size > maxDataSize { causes.append(.tooLong("", maxBytes: maxDataSize)) }
        if let old { causes += immutability(cm, old: old, keys: ["data", "binaryData"]) }
        return causes
    }

    /// Secret: valid keys with base64 values, 1 MiB in total, the keys its type requires, an
    /// unchanged type, and no data change once immutable.
    public static func secret(_ secret: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        var size = 0
        let data = secret["data"].object ?? [:]
        for (key, value) in data {
            causes += NameValidation.configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            if let text = value.string {
                if let decoded = Data(base64Encoded: text) { size += decoded.count } else {
                    causes.append(.invalid("data[\(key)]", "<secret contents redacted>", "must be base64-encoded"))
                }
            }
        }
        if size > maxDataSize { causes.append(.tooLong("data", maxBytes: maxDataSize)) }
        let type = secret["type"].string ?? "Opaque"
        let requiredKeys: [String: [String]] = [
            "kubernetes.io/dockercfg": [".dockercfg"],
            "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
            "kubernetes.io/ssh-auth": ["ssh-privatekey"],
            "kubernetes.io/tls": ["tls.crt", "tls.key"],
        ]
        for key in requiredKeys[type] ?? [] where data[key] == nil { causes.append(.required("data[\(key)]")) }
        if type == "kubernetes.io/service-account-token",
            (secret["metadata"]["annotations"]["kubernetes.io/service-account.name"].string ?? "").isEmpty
        {
            causes.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
        }
        if let old {
            if let oldType = old["type"].string, oldType != type {
                causes.append(.invalid("type", type, "field is immutable"))
            }
            causes += immutability(secret, old: old, keys: ["data"])
        }
        return causes
    }

    /// Changes forbidden once `immutable` is true: the data keys and unsetting `immutable`.
    static func immutability(_ object: JSON, old: JSON, keys: [String]) -> [FlotillaError.Cause] {
        guard old["immutable"].bool == true else { return [] }
        var causes: [FlotillaError.Cause] = []
        if object["immutable"].bool != true { causes.append(.forbidden("immutable", immutableMessage)) }
        for key in keys where object[key] != old[key] { causes.append(.forbidden(key, immutableMessage)) }
        return causes
    }

    /// Namespace: finalizers are qualified names.
    public static func namespace(_ ns: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, f) in (ns["spec"]["finalizers"].array ?? []).enumerated() {
            guard let name = f.string else { continue }
            causes += NameValidation.qualifiedName(name).map { .invalid("spec.finalizers[\(i)]", name, $0) }
        }
        return causes
    }

    /// Node: taints with a qualified key, a valid value, a known effect, unique by key and effect.
    public static func node(_ node: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        var seen = Set<String>()
        for (i, taint) in (node["spec"]["taints"].array ?? []).enumerated() {
            let p = "spec.taints[\(i)]"
            let key = taint["key"].string ?? ""
            if key.isEmpty { causes.append(.required(p + ".key")) } else {
                causes += ObjectMetaValidation.validateLabelKey(key, path: p + ".key")
            }
            if let value = taint["value"].string, !value.isEmpty {
                causes += NameValidation.labelValue(value).map { .invalid(p + ".value", value, $0) }
            }
            causes += PodValidation.enumValue(taint["effect"], p + ".effect", PodValidation.taintEffects)
            let effect = taint["effect"].string ?? ""
            if !seen.insert("\(key)/\(effect)").inserted {
                causes.append(.duplicate(p, "taints must be unique by key and effect pair"))
            }
        }
        return causes
    }

    /// PersistentVolume: access modes and a storage capacity, exactly one volume source (a
    /// hostPath with a known type), and known reclaim policy and volume mode.
    public static func persistentVolume(_ pv: JSON, old: JSON?) -> [FlotillaError.Cause] {
        let spec = pv["spec"]
        var causes = validateAccessModes(spec["accessModes"], path: "spec.accessModes", requiredDetail: "")
        let capacity = spec["capacity"].object ?? [:]
        if capacity.isEmpty {
            causes.append(.required("spec.capacity"))
        } else if capacity["storage"] == nil || capacity.count > 1 {
            causes.append(.notSupported("spec.capacity", .object(capacity), ["storage"]))
        }
        causes += ResourceListValidation.quantities(spec["capacity"], path: "spec.capacity").causes
        let sources = persistentVolumeSourceNames.filter { !spec[$0].isNull }
        if sources.isEmpty { causes.append(.required("spec", "must specify a volume type")) }
        for extra in sources.dropFirst() {
            causes.append(.forbidden("spec.\(extra)", "may not specify more than 1 volume type"))
        }
        if spec["hostPath"].object != nil {
            if (spec["hostPath"]["path"].string ?? "").isEmpty { causes.append(.required("spec.hostPath.path")) }
            causes += PodValidation.enumValue(
                spec["hostPath"]["type"], "spec.hostPath.type", PodValidation.hostPathTypes, requiredWhenMissing: false)
        }
        if spec["local"].object != nil {
            if (spec["local"]["path"].string ?? "").isEmpty { causes.append(.required("spec.local.path")) }
            if spec["nodeAffinity"].object == nil {
                causes.append(.required("metadata.annotations", "Local volume requires node affinity"))
            }
        }
        causes += PodValidation.enumValue(
            spec["persistentVolumeReclaimPolicy"], "spec.persistentVolumeReclaimPolicy", ["Delete", "Recycle", "Retain"],
            requiredWhenMissing: false)
        causes += PodValidation.enumValue(spec["volumeMode"], "spec.volumeMode", ["Block", "Filesystem"], requiredWhenMissing: false)
        return causes
    }

    /// PersistentVolumeClaim: access modes and a positive storage request; on update only the
    /// requests, an unset volume name and the attributes class may change.
    public static func persistentVolumeClaim(_ pvc: JSON, old: JSON?) -> [FlotillaError.Cause] {
        let spec = pvc["spec"]
        var causes = validateAccessModes(
            spec["accessModes"], path: "spec.accessModes", requiredDetail: "at least 1 access mode is required")
        let storagePath = "spec.resources[storage]"
        let storage = spec["resources"]["requests"]["storage"]
        if storage.isNull {
            causes.append(.required(storagePath))
        } else if let q = Quantity(json: storage) {
            if q <= .zero { causes.append(.invalid(storagePath, q.canonical, "must be greater than zero")) }
        } else {
            causes.append(.invalid(storagePath, storage, ResourceListValidation.malformedQuantityMessage))
        }
        causes += PodValidation.enumValue(spec["volumeMode"], "spec.volumeMode", ["Block", "Filesystem"], requiredWhenMissing: false)
        if let old {
            var mutable = spec
            let oldSpec = old["spec"]
            mutable["resources"]["requests"] = oldSpec["resources"]["requests"]
            mutable["volumeAttributesClassName"] = oldSpec["volumeAttributesClassName"]
            if (oldSpec["volumeName"].string ?? "").isEmpty { mutable["volumeName"] = oldSpec["volumeName"] }
            if mutable != oldSpec {
                causes.append(
                    .forbidden(
                        "spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
            }
        }
        return causes
    }

    static func validateAccessModes(_ modes: JSON, path: String, requiredDetail: String) -> [FlotillaError.Cause] {
        let list = modes.array ?? []
        if list.isEmpty { return [.required(path, requiredDetail)] }
        return list.enumerated().flatMap { i, mode in
            PodValidation.enumValue(mode, "\(path)[\(i)]", accessModes)
        }
    }

    /// Event: the involved object's namespace matches the event's.
    public static func event(_ ev: JSON, old: JSON?) -> [FlotillaError.Cause] {
        let namespace = ev["metadata"]["namespace"].string ?? ""
        let objectNamespace = ev["involvedObject"]["namespace"].string ?? ""
        if objectNamespace.isEmpty {
            if !namespace.isEmpty && namespace != "default" {
                return [.invalid("involvedObject.namespace", objectNamespace, "does not match event.namespace")]
            }
        } else if objectNamespace != namespace {
            return [.invalid("involvedObject.namespace", objectNamespace, "does not match event.namespace")]
        }
        return []
    }
}
