import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Applies image layers (tar archives, compressed or not) to an image root in order: first the
/// layer's whiteouts remove what lower layers left, then `tar` extracts its entries, keeping
/// owners and modes, without the whiteout markers.
enum ImageLayerUnpacker {
    /// Applies the layer archive at `archive` on top of `root`.
    static func apply(_ archive: String, to root: String) async throws {
        let listing = try await HostCommand.run("tar", ["-tf", archive])
        let whiteouts = LayerWhiteouts(entries: listing.split(separator: "\n").map(String.init))
        try apply(whiteouts, to: root)
        _ = try await HostCommand.run("tar", [
            "-xf", archive, "-C", root, "--numeric-owner", "--same-owner", "--same-permissions",
            "--exclude=\(LayerWhiteouts.prefix)*",
        ])
    }

    /// Removes what `whiteouts` delete from `root`: the contents of opaque directories, then the
    /// removed paths. Paths through a symbolic link are left alone (they could lead out of the root).
    static func apply(_ whiteouts: LayerWhiteouts, to root: String) throws {
        let files = FileManager.default
        for directory in whiteouts.opaqueDirectories {
            let path = directory.isEmpty ? root : root + "/" + directory
            guard staysInside(root, directory), isDirectory(path) else { continue }
            for child in try files.contentsOfDirectory(atPath: path) {
                try files.removeItem(atPath: path + "/" + child)
            }
        }
        for removed in whiteouts.removedPaths where staysInside(root, removed) {
            let path = root + "/" + removed
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            try files.removeItem(atPath: path)
        }
    }

    /// Whether `relative` below `root` passes through no symbolic link (but possibly ends in one).
    private static func staysInside(_ root: String, _ relative: String) -> Bool {
        var path = root
        for component in relative.split(separator: "/").dropLast() {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK { return false }
        }
        return true
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
