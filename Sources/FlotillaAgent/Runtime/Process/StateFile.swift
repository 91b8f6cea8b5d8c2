import FlotillaCore
import Foundation

/// The process runtime's JSON state files, written whole (to a temporary file renamed over the
/// old one) so that a reader, or an agent stopped half way, never sees half of one.
enum StateFile {
    static func write<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        let data = try encoder.encode(value)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw FlotillaError(.internalError, "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FlotillaError(.internalError, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The value in `path`; nil when there is no such file or it does not decode.
    static func read<Value: Decodable>(_ type: Value.Type, from path: String) -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(type, from: data)
    }
}
