import FlotillaAPI
import FlotillaCore

/// The downward API: a pod's own fields (`fieldRef`) and its containers' resources
/// (`resourceFieldRef`) as text, for environment variables and downwardAPI volume files.
enum PodFields {
    /// The value of `fieldPath` of `pod`; nil for a field the downward API does not offer (or
    /// `status.podIP`, known only once the sandbox has its address).
    static func value(_ fieldPath: String, of pod: JSON, inputs: PodInputs) -> String? {
        let metadata = pod["metadata"]
        switch fieldPath {
        case "metadata.name": return metadata["name"].string ?? ""
        case "metadata.namespace": return metadata["namespace"].string ?? "default"
        case "metadata.uid": return metadata["uid"].string ?? ""
        case "metadata.labels": return pairs(metadata["labels"])
        case "metadata.annotations": return pairs(metadata["annotations"])
        case "spec.nodeName": return pod["spec"]["nodeName"].string ?? ""
        case "spec.serviceAccountName": return pod["spec"]["serviceAccountName"].string ?? ""
        case "status.hostIP", "status.hostIPs": return inputs.hostIP
        default:
            for map in ["labels", "annotations"] {
                let prefix = "metadata.\(map)['"
                if fieldPath.hasPrefix(prefix), fieldPath.hasSuffix("']") {
                    let key = String(fieldPath.dropFirst(prefix.count).dropLast(2))
                    return metadata[map][key].string ?? ""
                }
            }
            return nil
        }
    }

    /// Whether `fieldPath` is the pod's own address, which the worker fills in from the sandbox.
    static func isPodIP(_ fieldPath: String) -> Bool {
        fieldPath == "status.podIP" || fieldPath == "status.podIPs"
    }

    /// `key="value"` lines, sorted by key, as downwardAPI files of labels and annotations hold them.
    private static func pairs(_ map: JSON) -> String {
        (map.object ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value.string ?? "")\"" }.joined(separator: "\n")
    }

    /// The value of a `resourceFieldRef` (`limits.cpu`, `requests.memory`, … of container
    /// `containerName`, else of `defaultContainer`), divided by its divisor and rounded up. A
    /// limit that is not set is the node's allocatable amount.
    static func resource(_ reference: JSON, of pod: JSON, defaultContainer: String?, inputs: PodInputs) throws -> String {
        let name = reference["containerName"].string.flatMap { $0.isEmpty ? nil : $0 } ?? defaultContainer ?? ""
        let containers = (pod["spec"]["containers"].array ?? []) + (pod["spec"]["initContainers"].array ?? [])
        guard let container = containers.first(where: { $0["name"].string == name }) else {
            throw FlotillaError(.invalid, "resourceFieldRef names container \"\(name)\", which the pod does not have")
        }
        let resource = reference["resource"].string ?? ""
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["limits", "requests"].contains(parts[0]) else {
            throw FlotillaError(.invalid, "resourceFieldRef resource \"\(resource)\" is not supported")
        }
        let given = Quantity(json: container["resources"][parts[0]][parts[1]])
            ?? (parts[0] == "requests" ? Quantity(json: container["resources"]["limits"][parts[1]]) : nil)
        let divisor = Quantity(json: reference["divisor"])
        switch parts[1] {
        case "cpu":
            let millis = given?.milliValue ?? (parts[0] == "limits" ? inputs.nodeCPUMillis : 0)
            let per = max(1, divisor?.milliValue ?? 1000)
            return String((millis + per - 1) / per)
        case "memory", "ephemeral-storage":
            let bytes = given?.integerValue ?? (parts[0] == "limits" && parts[1] == "memory" ? inputs.nodeMemoryBytes : 0)
            let per = max(1, divisor?.integerValue ?? 1)
            return String((bytes + per - 1) / per)
        default:
            throw FlotillaError(.invalid, "resourceFieldRef resource \"\(resource)\" is not supported")
        }
    }
}
