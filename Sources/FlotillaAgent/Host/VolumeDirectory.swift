import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A directory of a pod's volume on the node: made when first needed, on a tmpfs of its own
/// when its contents belong in memory (secrets, emptyDir with medium `Memory`), filled with the
/// files the agent writes, and unmounted with everything else under the pod's directory when the
/// pod goes.
enum VolumeDirectory {
    /// Makes `path` (world-writable, as emptyDir volumes are), mounting a tmpfs on it when `inMemory`.
    static func prepare(_ path: String, inMemory: Bool) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        } catch {
            throw FlotillaError(.internalError, "cannot make volume directory \(path): \(error)")
        }
        guard inMemory, !mountPoints(under: path).contains(path) else { return }
        guard mount("tmpfs", path, "tmpfs", 0, "mode=0777") == 0 else {
            throw FlotillaError(.internalError, "cannot mount a tmpfs on \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `files` into `path` (each replaced whole, by rename, when its content or mode
    /// changed) and removes files no longer among them.
    static func write(_ files: [PodVolume.File], into path: String) throws {
        let manager = FileManager.default
        var wanted: Set<String> = []
        for file in files {
            let target = path + "/" + file.path
            wanted.insert(target)
            let current = manager.contents(atPath: target).map(Array.init)
            let mode = (try? manager.attributesOfItem(atPath: target)[.posixPermissions] as? Int).map { UInt16($0) }
            if current == file.content && mode == file.mode { continue }
            let directory = (target as NSString).deletingLastPathComponent
            let temporary = directory + "/.\((target as NSString).lastPathComponent).tmp"
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                guard manager.createFile(atPath: temporary, contents: Data(file.content), attributes: [.posixPermissions: Int(file.mode)]) else {
                    throw FlotillaError(.internalError, "cannot write \(temporary)")
                }
                chmod(temporary, mode_t(file.mode))
                guard rename(temporary, target) == 0 else {
                    throw FlotillaError(.internalError, "cannot replace \(target): \(String(cString: strerror(errno)))")
                }
            } catch let error as FlotillaError {
                throw error
            } catch {
                throw FlotillaError(.internalError, "cannot write volume file \(target): \(error)")
            }
        }
        guard let enumerator = manager.enumerator(atPath: path) else { return }
        for case let relative as String in enumerator {
            let full = path + "/" + relative
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue, !wanted.contains(full) {
                try? manager.removeItem(atPath: full)
            }
        }
    }

    /// Unmounts every mount at or below `path`, deepest first.
    static func unmountAll(under path: String) {
        for mountPoint in mountPoints(under: path).sorted(by: { $0.count > $1.count }) {
            umount2(mountPoint, Int32(MNT_DETACH))
        }
    }

    /// The mount points at or below `path`, from `/proc/self/mountinfo` (read to its end: a
    /// proc file tells no size, and a reader trusting its size gets only the first page).
    static func mountPoints(under path: String) -> [String] {
        guard let data = try? FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readToEnd() else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            // Spaces and other special characters are octal escapes (\040) in mountinfo.
            let point = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
            return point == path || point.hasPrefix(path + "/") ? point : nil
        }
    }
}
