import FlotillaCore

/// A volume of a pod (`spec.volumes[]`), and where a container mounts one (`volumeMounts[]`).
public struct PodVolume: Sendable, Equatable {
    /// Where a volume's files come from.
    public enum Source: Sendable, Equatable {
        /// A directory the agent makes for the pod, empty at first, shared by its containers and
        /// removed with the pod; in memory (tmpfs) for medium `Memory`.
        case emptyDir(inMemory: Bool)
        /// A file or directory of the node, checked (or made) as `type` says.
        case hostPath(String, type: HostPathType = .unchecked)
        /// A PersistentVolumeClaim of the pod's namespace (`claimName`), which ``PodDesign``
        /// resolves to the node path of its bound PersistentVolume.
        case persistentVolumeClaim(String)
        /// A volume that cannot be set up yet (its claim is not bound, say), and why: the
        /// containers that mount it wait.
        case unavailable(String)
        /// Files the agent writes from the API (a `configMap`, `secret`, `downwardAPI` or
        /// `projected` volume, named by `kind`), in memory (tmpfs) when they may hold secrets.
        /// ``PodDesign`` fills in the files from the pod's ``PodInputs``.
        case files(kind: String, files: [File], inMemory: Bool)
        /// A kind of volume the agent does not provide yet, named by its field (`configMap`, …).
        case unsupported(String)
    }

    /// One file of a ``Source/files(kind:files:inMemory:)`` volume.
    public struct File: Sendable, Equatable {
        /// The path inside the volume, e.g. `app.properties` or `conf/app.yaml`.
        public var path: String
        public var content: [UInt8]
        /// Permission bits, e.g. 0o644.
        public var mode: UInt16

        public init(path: String, content: [UInt8], mode: UInt16 = 0o644) {
            self.path = path
            self.content = content
            self.mode = mode
        }
    }

    /// One mount of a volume into a container.
    public struct Mount: Sendable, Equatable {
        public var volume: String
        public var mountPath: String
        public var readOnly: Bool
        /// A path inside the volume to mount instead of its root.
        public var subPath: String

        public init(volume: String, mountPath: String, readOnly: Bool = false, subPath: String = "") {
            self.volume = volume
            self.mountPath = mountPath
            self.readOnly = readOnly
            self.subPath = subPath
        }
    }

    public var name: String
    public var source: Source
    /// Every mount is read-only (`persistentVolumeClaim.readOnly`).
    public var readOnly: Bool

    public init(name: String, source: Source, readOnly: Bool = false) {
        self.name = name
        self.source = source
        self.readOnly = readOnly
    }

    /// Containers see configMap, secret, downwardAPI and projected volumes read-only, as in
    /// Kubernetes, and a claim's volume when the pod says so.
    public var isReadOnly: Bool {
        if case .files = source { return true }
        return readOnly
    }

    /// Reads one entry of `spec.volumes`.
    init?(json: JSON) {
        guard let name = json["name"].string else { return nil }
        self.name = name
        readOnly = false
        let projectsSecrets = (json["projected"]["sources"].array ?? []).contains { !$0["secret"].isNull || !$0["serviceAccountToken"].isNull }
        if !json["emptyDir"].isNull {
            source = .emptyDir(inMemory: json["emptyDir"]["medium"].string == "Memory")
        } else if let path = json["hostPath"]["path"].string {
            source = .hostPath(path, type: HostPathType(rawValue: json["hostPath"]["type"].string ?? "") ?? .unchecked)
        } else if let claim = json["persistentVolumeClaim"]["claimName"].string {
            source = .persistentVolumeClaim(claim)
            readOnly = json["persistentVolumeClaim"]["readOnly"].bool ?? false
        } else if let kind = ["configMap", "secret", "downwardAPI", "projected"].first(where: { !json[$0].isNull }) {
            source = .files(kind: kind, files: [], inMemory: kind == "secret" || projectsSecrets)
        } else {
            source = .unsupported(json.object?.keys.first { $0 != "name" } ?? "unknown")
        }
    }
}

extension PodVolume.Mount {
    /// Reads one entry of a container's `volumeMounts`.
    init?(json: JSON) {
        guard let volume = json["name"].string, let mountPath = json["mountPath"].string else { return nil }
        self.init(volume: volume, mountPath: mountPath, readOnly: json["readOnly"].bool ?? false, subPath: json["subPath"].string ?? "")
    }
}
