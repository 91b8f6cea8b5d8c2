import FlotillaCore

/// Turns the body of a watch reply (newline-delimited JSON events, in chunks cut anywhere) into
/// ``WatchEvent``s.
///
/// Feed it each chunk as it arrives and ``finish()`` at the end. An ERROR event throws the error
/// its Status describes (410 → `.expired`); a line that is not a valid event throws
/// `.internalError` naming what was wrong.
public struct WatchStreamDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// The complete events in `chunk` together with what earlier chunks left unfinished.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        var lineStart = pending.startIndex
        // Earlier bytes hold no newline: start looking where the new chunk begins.
        var index = pending.endIndex
        pending.append(contentsOf: chunk)
        while index < pending.endIndex {
            if pending[index] == UInt8(ascii: "\n") {
                if let event = try Self.decodeLine(pending[lineStart..<index]) { events.append(event) }
                lineStart = index + 1
            }
            index += 1
        }
        pending.removeSubrange(pending.startIndex..<lineStart)
        return events
    }

    /// The last event, if the stream ended without a newline after it.
    public mutating func finish() throws -> [WatchEvent] {
        defer { pending = [] }
        return try Self.decodeLine(pending[...]).map { [$0] } ?? []
    }

    /// One event line; nil for a blank line.
    static func decodeLine(_ line: ArraySlice<UInt8>) throws -> WatchEvent? {
        guard line.contains(where: { !Self.isSpace($0) }) else { return nil }
        let value: JSON
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw FlotillaError(.internalError, "malformed watch event: \(error)")
        }
        guard let typeName = value["type"].string else {
            throw FlotillaError(.internalError, "malformed watch event: missing \"type\"")
        }
        let object = value["object"]
        if typeName == "ERROR" {
            throw FlotillaError(status: object, httpStatus: 500)
        }
        guard let type = WatchEvent.EventType(rawValue: typeName) else {
            throw FlotillaError(.internalError, "malformed watch event: unknown type \"\(typeName)\"")
        }
        guard case .object = object else {
            throw FlotillaError(.internalError, "malformed watch event: \(typeName) without an object")
        }
        return WatchEvent(type: type, object: object)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
