/// One line of a container log file as CRI runtimes write it:
/// `2026-01-02T03:04:05.123456789Z stdout F hello`: the time it was written (RFC 3339 with
/// nanoseconds), the stream, `F` for a full line or `P` for part of a longer one that the next
/// entry continues, then the text.
public struct ContainerLogLine: Sendable, Equatable {
    public enum Stream: String, Sendable, Equatable {
        case stdout, stderr
    }

    /// The time as written (RFC 3339, nanoseconds, UTC).
    public var timestamp: Substring
    public var stream: Stream
    /// The text continues in the next entry.
    public var partial: Bool
    /// The text, without its newline.
    public var text: Substring

    /// Parses one entry; nil when it is not in the CRI format.
    public init?(_ line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, let stream = Stream(rawValue: String(fields[1])), fields[2] == "F" || fields[2] == "P" else {
            return nil
        }
        timestamp = fields[0]
        self.stream = stream
        partial = fields[2] == "P"
        text = fields.count == 4 ? fields[3] : ""
    }

    /// Every well-formed entry of a log file's text.
    public static func entries(in text: String) -> [ContainerLogLine] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap(ContainerLogLine.init)
    }
}
