import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A pod's cgroup, the parent of its containers' cgroups (`/flotilla/pod<uid>`, cgroupfs
/// syntax). The runtime makes it with the first container; the agent removes it, in every
/// hierarchy (cgroup v1 has one per controller), once the pod's containers are gone.
public struct PodCgroup: Sendable, Equatable {
    /// The path below each hierarchy's root, e.g. `/flotilla/pod<uid>`.
    public var path: String
    /// Where the hierarchies are mounted.
    public var root = "/sys/fs/cgroup"

    public init(path: String) {
        self.path = path
    }

    /// The cgroup's directory in each hierarchy where it exists: `<root><path>` under cgroup v2,
    /// `<root>/<controller><path>` under v1 (and v2's `unified` beside them).
    var directories: [String] {
        let hierarchies = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).map { root + "/" + $0 }
        return ([root] + hierarchies).map { $0 + path }.filter { isDirectory($0) }
    }

    public var exists: Bool { !directories.isEmpty }

    /// Removes the cgroup (its child cgroups first) from every hierarchy; throws when one is
    /// still in use.
    public func remove() throws {
        for directory in directories { try removeTree(directory) }
    }

    private func removeTree(_ directory: String) throws {
        for child in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where isDirectory(directory + "/" + child) {
            try removeTree(directory + "/" + child)
        }
        guard rmdir(directory) == 0 || errno == ENOENT else {
            throw FlotillaError(.internalError, "cannot remove cgroup \(directory): \(String(cString: strerror(errno)))")
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
