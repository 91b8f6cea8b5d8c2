import FlotillaCore
import Foundation

/// What a node path mounted into a pod must be (`hostPath.type`): made when missing for the
/// `…OrCreate` types, checked for the others, not looked at when unset.
public enum HostPathType: String, Sendable, Equatable {
    case unchecked = ""
    case directoryOrCreate = "DirectoryOrCreate"
    case directory = "Directory"
    case fileOrCreate = "FileOrCreate"
    case file = "File"
    case socket = "Socket"
    case charDevice = "CharDevice"
    case blockDevice = "BlockDevice"

    /// Makes `path` when missing (a directory 0755, or an empty file 0644, as a kubelet does)
    /// and checks that it is what this type says; throws `invalid` in a kubelet's words when not.
    public func prepare(_ path: String) throws {
        let files = FileManager.default
        switch self {
        case .unchecked:
            return
        case .directoryOrCreate where !files.fileExists(atPath: path):
            try files.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        case .fileOrCreate where !files.fileExists(atPath: path):
            try files.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                throw FlotillaError(.invalid, "hostPath type check failed: cannot create file \(path)")
            }
        default:
            break
        }
        let kind = (try? files.attributesOfItem(atPath: path)[.type] as? FileAttributeType) ?? nil
        let (wanted, description): (FileAttributeType, String)
        switch self {
        case .unchecked: return
        case .directory, .directoryOrCreate: (wanted, description) = (.typeDirectory, "a directory")
        case .file, .fileOrCreate: (wanted, description) = (.typeRegular, "a file")
        case .socket: (wanted, description) = (.typeSocket, "a socket file")
        case .charDevice: (wanted, description) = (.typeCharacterSpecial, "a character device")
        case .blockDevice: (wanted, description) = (.typeBlockSpecial, "a block device")
        }
        guard kind == wanted else { throw FlotillaError(.invalid, "hostPath type check failed: \(path) is not \(description)") }
    }
}
