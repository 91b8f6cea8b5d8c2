import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Turns what a container writes on one stream into CRI log entries (``ContainerLogLine``'s
/// format): each line as `<time> <stream> F <text>`; a line longer than ``maxLineBytes`` in
/// pieces marked `P` but the last; what is left unterminated at the end as a last `F` entry.
public struct ContainerLogFramer: Sendable {
    /// The longest text of one entry, as containerd cuts lines.
    public static let maxLineBytes = 16 * 1024

    public let stream: ContainerLogLine.Stream
    private var pending: [UInt8] = []

    public init(stream: ContainerLogLine.Stream) {
        self.stream = stream
    }

    /// The entries that `bytes` complete, stamped `time`.
    public mutating func frame(_ bytes: some Sequence<UInt8>, at time: String) -> [UInt8] {
        var output: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                output += entry(pending, partial: false, at: time)
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count == Self.maxLineBytes {
                    output += entry(pending, partial: true, at: time)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        return output
    }

    /// The entry for text left without a newline when the stream ends (nothing when none is).
    public mutating func finish(at time: String) -> [UInt8] {
        defer { pending = [] }
        return pending.isEmpty ? [] : entry(pending, partial: false, at: time)
    }

    private func entry(_ text: [UInt8], partial: Bool, at time: String) -> [UInt8] {
        Array("\(time) \(stream.rawValue) \(partial ? "P" : "F") ".utf8) + text + [UInt8(ascii: "\n")]
    }

    /// `time` as the log's time stamps: RFC 3339 in UTC with nine fractional digits.
    public static func timestamp(_ time: timespec) -> String {
        var seconds = time_t(time.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(time.tv_nsec))
    }

    /// The time now, as the log stamps it.
    public static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return timestamp(time)
    }
}
