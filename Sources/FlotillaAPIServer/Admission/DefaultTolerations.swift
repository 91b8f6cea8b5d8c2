import FlotillaCore

/// Kubernetes' DefaultTolerationSeconds admission: every new pod that does not already
/// tolerate them gets tolerations of the `node.kubernetes.io/not-ready` and
/// `node.kubernetes.io/unreachable` NoExecute taints for a limited time, so that the pods of a
/// lost node are evicted (and replaced by their controllers) that long after the node went.
public struct DefaultTolerations: MutatingAdmission {
    public static let notReadyTaint = "node.kubernetes.io/not-ready"
    public static let unreachableTaint = "node.kubernetes.io/unreachable"

    /// Seconds a pod stays on a node that is not Ready (default 300).
    public var notReadySeconds: Int64
    /// Seconds a pod stays on a node that cannot be reached (default 300).
    public var unreachableSeconds: Int64

    public init(notReadySeconds: Int64 = 300, unreachableSeconds: Int64 = 300) {
        self.notReadySeconds = notReadySeconds
        self.unreachableSeconds = unreachableSeconds
    }

    /// Adds the tolerations a new pod lacks.
    func admit(_ pod: inout JSON, _ attributes: AdmissionAttributes) async throws {
        guard attributes.isCore("pods"), attributes.old == nil, pod["spec"].object != nil else { return }
        var tolerations = pod["spec"]["tolerations"].array ?? []
        let before = tolerations.count
        for (key, seconds) in [(Self.notReadyTaint, notReadySeconds), (Self.unreachableTaint, unreachableSeconds)] {
            let covered = tolerations.contains { toleration in
                let effect = toleration["effect"].string ?? ""
                let matchesKey = toleration["key"].string == key || (toleration["operator"].string == "Exists" && (toleration["key"].string ?? "").isEmpty)
                return matchesKey && (effect.isEmpty || effect == "NoExecute")
            }
            if !covered {
                tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(seconds)])
            }
        }
        if tolerations.count != before { pod[path: ["spec", "tolerations"]] = .array(tolerations) }
    }
}
