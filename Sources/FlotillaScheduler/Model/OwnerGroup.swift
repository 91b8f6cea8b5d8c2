import FlotillaCore

/// The group a pod's Marathon constraints are judged across, as Marathon judges them across
/// the tasks of one app: the pods of the same controller (the `controller: true` owner
/// reference's uid), or for pods without a controller, the pods of the same namespace with
/// identical labels.
public enum OwnerGroup: Hashable, Sendable, CustomStringConvertible {
    case controller(uid: String)
    case labels(namespace: String, labels: String)

    /// The group of a pod with this metadata.
    public init(metadata: JSON, labels: [String: String]) {
        for reference in metadata["ownerReferences"].array ?? [] where reference["controller"].bool == true {
            if let uid = reference["uid"].string, !uid.isEmpty {
                self = .controller(uid: uid)
                return
            }
        }
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        self = .labels(namespace: metadata["namespace"].string ?? "", labels: text)
    }

    public var description: String {
        switch self {
        case .controller(let uid): return "controller \(uid)"
        case .labels(let namespace, let labels): return "pods in \(namespace) labelled {\(labels)}"
        }
    }
}
