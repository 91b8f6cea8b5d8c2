import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A path inside a container's root resolved as the container would see it: symbolic links on
/// the way are followed within the root (an absolute link starts again at the root, `..` stops
/// at it), so that what the agent makes or mounts there never lands outside the root.
enum ContainerRootPath {
    /// The host path of `path` in the container whose root is `root`.
    static func resolve(_ path: String, in root: String) -> String {
        var resolved: [String] = []
        var pending = path.split(separator: "/").map(String.init)
        var links = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let host = root + "/" + (resolved + [component]).joined(separator: "/")
            if links < 40, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: host) {
                links += 1
                if target.hasPrefix("/") { resolved = [] }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved.append(component)
        }
        return resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
    }
}
