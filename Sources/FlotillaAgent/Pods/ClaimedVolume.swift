import FlotillaAPI
import FlotillaCore

/// Resolves a pod's `persistentVolumeClaim` volume to the node path of the PersistentVolume the
/// claim is bound to (its `spec.volumeName`, whatever the claim's phase says): a `hostPath`
/// volume's path, checked as its `type` says, or a `local` volume's path, which must be a
/// directory. A claim that is missing or not bound, and a volume of another source, leave the
/// volume unavailable, with why in Kubernetes' words.
enum ClaimedVolume {
    static func source(claim name: String, inputs: PodInputs) -> PodVolume.Source {
        guard let claim = inputs.persistentVolumeClaims[name] else {
            return .unavailable("persistentvolumeclaim \"\(name)\" not found")
        }
        guard let volumeName = claim["spec"]["volumeName"].string, !volumeName.isEmpty else {
            return .unavailable("persistentvolumeclaim \"\(name)\" is not bound")
        }
        guard let volume = inputs.persistentVolumes[volumeName] else {
            return .unavailable("persistentvolume \"\(volumeName)\" bound to persistentvolumeclaim \"\(name)\" not found")
        }
        let spec = volume["spec"]
        if let path = spec["hostPath"]["path"].string {
            return .hostPath(path, type: HostPathType(rawValue: spec["hostPath"]["type"].string ?? "") ?? .unchecked)
        }
        if let path = spec["local"]["path"].string {
            return .hostPath(path, type: .directory)
        }
        let kind = CoreValidation.persistentVolumeSourceNames.first { !spec[$0].isNull } ?? "unknown"
        return .unavailable(
            "persistentvolume \"\(volumeName)\" bound to persistentvolumeclaim \"\(name)\" is a \(kind) volume, which this agent does not provide")
    }
}
