import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A process-runtime container's own root, `<container dir>/root`: an overlay with the image's
/// read-only root below and the container's writes in `upper`, or, where the host cannot mount
/// one, a copy of the image's root. On it go `/proc`, `/sys` (read-only), a small `/dev`, the
/// container's volumes (bind mounts), and the pod's `/etc/hosts` and `/etc/resolv.conf`.
struct ProcessContainerRoot {
    let directory: String

    var root: String { directory + "/root" }

    /// The devices a container gets in its `/dev`, bound from the host's.
    private static let devices = ["null", "zero", "full", "random", "urandom", "tty"]

    /// Makes the root from the image's, with `mounts` and the given files in `/etc`.
    func prepare(image: String, mounts: [ContainerConfiguration.Mount], etcFiles: [String: String]) async throws {
        let upper = directory + "/upper", work = directory + "/work"
        for path in [root, upper, work] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        if mount("overlay", root, "overlay", 0, "lowerdir=\(image),upperdir=\(upper),workdir=\(work)") != 0 {
            _ = try await HostCommand.run("cp", ["-a", image + "/.", root + "/"])
        }
        do {
            try mountSystem()
            for (name, content) in etcFiles {
                let path = ContainerRootPath.resolve("/etc/" + name, in: root)
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try content.write(toFile: path, atomically: false, encoding: .utf8)
            }
            for volume in mounts { try bind(volume) }
        } catch {
            release()
            throw error
        }
    }

    /// Makes `path` (inside the root) a directory, as a working directory needs.
    func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: ContainerRootPath.resolve(path, in: root), withIntermediateDirectories: true)
    }

    /// Unmounts everything in the container's directory and removes it; throws when a mount stays
    /// (removing the directory then could remove a volume's files).
    func remove() throws {
        release()
        guard VolumeDirectory.mountPoints(under: directory).isEmpty else {
            throw FlotillaError(.internalError, "cannot unmount the root of container \(directory); left in place")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func release() {
        VolumeDirectory.unmountAll(under: directory)
    }

    private func mountSystem() throws {
        let proc = ContainerRootPath.resolve("/proc", in: root), sys = ContainerRootPath.resolve("/sys", in: root)
        let dev = ContainerRootPath.resolve("/dev", in: root)
        for path in [proc, sys, dev] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        try check(mount("proc", proc, "proc", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), nil), "mount /proc")
        try check(mount("sysfs", sys, "sysfs", UInt(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), nil), "mount /sys")
        try check(mount("tmpfs", dev, "tmpfs", UInt(MS_NOSUID | MS_NOEXEC), "mode=755"), "mount /dev")
        for device in Self.devices {
            let target = dev + "/" + device
            guard FileManager.default.createFile(atPath: target, contents: nil) else { throw FlotillaError(.internalError, "cannot create \(target)") }
            try check(mount("/dev/" + device, target, nil, UInt(MS_BIND), nil), "bind /dev/\(device)")
        }
        try FileManager.default.createDirectory(atPath: dev + "/shm", withIntermediateDirectories: true)
        try check(mount("shm", dev + "/shm", "tmpfs", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), "mode=1777"), "mount /dev/shm")
        for (name, target) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            try FileManager.default.createSymbolicLink(atPath: dev + "/" + name, withDestinationPath: target)
        }
    }

    /// Binds a volume's host path at its path in the root, read-only when it is.
    private func bind(_ volume: ContainerConfiguration.Mount) throws {
        let target = ContainerRootPath.resolve(volume.containerPath, in: root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: volume.hostPath, isDirectory: &isDirectory) else {
            throw FlotillaError(.invalid, "the host path \(volume.hostPath) of mount \(volume.containerPath) does not exist")
        }
        if isDirectory.boolValue {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } else {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: target) { _ = FileManager.default.createFile(atPath: target, contents: nil) }
        }
        try check(mount(volume.hostPath, target, nil, UInt(MS_BIND | MS_REC), nil), "bind \(volume.hostPath) at \(volume.containerPath)")
        if volume.readOnly {
            try check(mount(nil, target, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil), "make \(volume.containerPath) read-only")
        }
    }

    private func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw FlotillaError(.internalError, "cannot \(what) for container root \(root): \(String(cString: strerror(errno)))") }
    }
}
