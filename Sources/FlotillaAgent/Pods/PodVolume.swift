import FlotillaCore

/// A volume of a pod (`spec.volumes[]`), and where a container mounts one (`volumeMounts[]`).
public struct PodVolume: Sendable, Equatable {
    /// Where a volume's files come from.
    public enum Source: Sendable, Equatable {
        /// A directory the agent makes for the pod, empty at first, shared by its containers and
        /// removed with the pod (on disk: medium `Memory` is not served yet).
        case emptyDir
        /// A file or directory of the node.
        case hostPath(String)
        /// A kind of volume the agent does not provide yet, named by its field (`configMap`, …).
        case unsupported(String)
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

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// Reads one entry of `spec.volumes`.
    init?(json: JSON) {
        guard let name = json["name"].string else { return nil }
        self.name = name
        if !json["emptyDir"].isNull {
            source = .emptyDir
        } else if let path = json["hostPath"]["path"].string {
            source = .hostPath(path)
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
