/// The deletions an image layer makes in the layers below it, read from its entry names (the
/// OCI whiteout convention): `dir/.wh.name` removes `dir/name`; `dir/.wh..wh..opq` empties
/// `dir` of what lower layers put there. Paths are relative to the image root, without `./`.
public struct LayerWhiteouts: Sendable, Equatable {
    /// Directories whose lower contents go (`""` is the root).
    public var opaqueDirectories: [String] = []
    /// Files and directories that go.
    public var removedPaths: [String] = []

    public static let prefix = ".wh."
    public static let opaqueMarker = ".wh..wh..opq"

    /// The whiteouts among a layer's entry names (as `tar -t` lists them); names that would
    /// leave the root (`..`) are ignored.
    public init(entries: [String]) {
        for entry in entries {
            let components = entry.split(separator: "/").filter { $0 != "." }
            guard let last = components.last, last.hasPrefix(Self.prefix), !components.contains("..") else { continue }
            let directory = components.dropLast().joined(separator: "/")
            if last == Self.opaqueMarker {
                opaqueDirectories.append(directory)
            } else {
                let name = last.dropFirst(Self.prefix.count)
                guard !name.isEmpty, name != "." else { continue }
                removedPaths.append(directory.isEmpty ? String(name) : directory + "/" + name)
            }
        }
    }

    public init(opaqueDirectories: [String], removedPaths: [String]) {
        self.opaqueDirectories = opaqueDirectories
        self.removedPaths = removedPaths
    }
}
