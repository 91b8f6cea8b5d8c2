#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FlotillaCore

/// Small, durable file operations for credentials: private modes, atomic replacement.
public enum SecureFile {
    /// Creates `path` and its parents with `mode` (the parents too) when absent.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw FlotillaError(.internalError, "cannot create directory \(current): \(errorText())")
            }
        }
    }

    /// Writes `bytes` to `path` atomically (temporary file, fsync, rename) with permissions `mode`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FlotillaError(.internalError, "cannot write \(temporary): \(errorText())") }
        var ok = fchmod(fd, mode) == 0
        var offset = 0
        while ok && offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = false } else { offset += n }
        }
        if ok { ok = fsync(fd) == 0 }
        let failure = errorText()
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FlotillaError(.internalError, "cannot write \(path): \(failure)")
        }
    }

    /// The contents of `path`, or nil when it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FlotillaError(.internalError, "cannot read \(path): \(errorText())")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw FlotillaError(.internalError, "cannot read \(path): \(errorText())") }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func permissions(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o7777
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, named apart from ``SecureFile/write(_:to:mode:)``.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// `read(2)`, named apart from ``SecureFile/read(_:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
