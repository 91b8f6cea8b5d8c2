import FlotillaCore

/// Writes a tar archive (POSIX ustar) in memory: directories and regular files, owned by root,
/// with a zero modification time so that the same input always gives the same bytes (and so the
/// same digest when the archive is an image layer).
struct TarWriter {
    private(set) var bytes: [UInt8] = []
    private static let block = 512

    mutating func addDirectory(_ path: String, mode: Int = 0o755) throws {
        try appendHeader(path.hasSuffix("/") ? path : path + "/", mode: mode, size: 0, type: UInt8(ascii: "5"))
    }

    mutating func addFile(_ path: String, contents: [UInt8], mode: Int = 0o644) throws {
        try appendHeader(path, mode: mode, size: contents.count, type: UInt8(ascii: "0"))
        bytes += contents
        bytes += [UInt8](repeating: 0, count: (Self.block - contents.count % Self.block) % Self.block)
    }

    /// The archive, closed with its two zero blocks.
    func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 2 * Self.block)
    }

    private mutating func appendHeader(_ path: String, mode: Int, size: Int, type: UInt8) throws {
        let (prefix, name) = try Self.split(path)
        var header = [UInt8](repeating: 0, count: Self.block)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        /// An octal number of `width - 1` digits and a NUL.
        func putOctal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset)
        }
        put(name, at: 0)
        putOctal(mode, at: 100, width: 8)
        putOctal(0, at: 108, width: 8)  // uid
        putOctal(0, at: 116, width: 8)  // gid
        putOctal(size, at: 124, width: 12)
        putOctal(0, at: 136, width: 12)  // mtime
        header[156] = type
        put("ustar\u{0}00", at: 257)
        put("root", at: 265)
        put("root", at: 297)
        put(prefix, at: 345)
        // The checksum is the byte sum with its own field counted as spaces.
        put("        ", at: 148)
        let checksum = header.reduce(0) { $0 + Int($1) }
        putOctal(checksum, at: 148, width: 7)
        header[155] = UInt8(ascii: " ")
        bytes += header
    }

    /// A path as ustar stores it: a prefix of up to 155 bytes and a name of up to 100, split at a `/`.
    private static func split(_ path: String) throws -> (prefix: String, name: String) {
        let utf8 = Array(path.utf8)
        if utf8.count <= 100 { return ("", path) }
        for index in utf8.indices.reversed() where utf8[index] == UInt8(ascii: "/") {
            let prefix = utf8[..<index], name = utf8[(index + 1)...]
            if prefix.count <= 155 && name.count <= 100 && !name.isEmpty {
                return (String(decoding: prefix, as: UTF8.self), String(decoding: name, as: UTF8.self))
            }
        }
        throw FlotillaError(.badRequest, "path \(path) is too long for a tar archive")
    }
}
