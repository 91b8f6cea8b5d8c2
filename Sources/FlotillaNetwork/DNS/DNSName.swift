/// A domain name read from a message: its labels as sent (case preserved, for echoing the
/// question) and its lookup key, the lower-cased dotted form without the final dot
/// (`web.default.svc.cluster.local`; the root is the empty string).
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The labels as they were on the wire, most specific first.
    public var labels: [[UInt8]]
    /// The name in lower case, labels joined by dots, for case-insensitive comparison.
    public var key: String

    /// A name from its dotted text form (a final dot is allowed).
    public init(_ text: String) {
        let trimmed = text.hasSuffix(".") ? text.dropLast() : Substring(text)
        labels = trimmed.isEmpty ? [] : trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        key = Self.key(of: labels)
    }

    init(labels: [[UInt8]]) {
        self.labels = labels
        key = Self.key(of: labels)
    }

    /// Lower-cases ASCII letters (DNS compares names case-insensitively, RFC 4343); a dot or
    /// backslash inside a label is escaped so that keys of different names never collide.
    static func key(of labels: [[UInt8]]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(labels.reduce(labels.count) { $0 + $1.count })
        for (index, label) in labels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ".")) }
            for byte in label {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte | 0x20)
                case UInt8(ascii: "."), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                default: bytes.append(byte)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { key + "." }
}
