/// A query as a server sees it (RFC 1035 §4.1): the header fields that matter for the answer,
/// the one question, and the client's EDNS0 settings when it sent an OPT record.
public struct DNSQuery: Sendable, Equatable {
    /// The client's EDNS0 settings (RFC 6891 §6.1.2).
    public struct EDNS: Sendable, Equatable {
        /// The largest UDP response the client accepts.
        public var udpPayloadSize: UInt16
        public var version: UInt8
        public var dnssecOK: Bool

        public init(udpPayloadSize: UInt16, version: UInt8 = 0, dnssecOK: Bool = false) {
            self.udpPayloadSize = udpPayloadSize
            self.version = version
            self.dnssecOK = dnssecOK
        }
    }

    public var id: UInt16
    /// The header's second 16 bits: QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE.
    public var flags: UInt16
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: UInt16
    public var edns: EDNS?

    public init(id: UInt16, flags: UInt16 = DNSHeaderFlags.recursionDesired, name: DNSName, type: DNSRecordType, recordClass: UInt16 = 1, edns: EDNS? = nil) {
        self.id = id
        self.flags = flags
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.edns = edns
    }

    public var opcode: UInt16 { (flags >> 11) & 0xF }
    public var recursionDesired: Bool { flags & DNSHeaderFlags.recursionDesired != 0 }
}

/// Bits of the header's flags word (RFC 1035 §4.1.1).
public enum DNSHeaderFlags {
    public static let response: UInt16 = 0x8000
    public static let authoritative: UInt16 = 0x0400
    public static let truncated: UInt16 = 0x0200
    public static let recursionDesired: UInt16 = 0x0100
    public static let recursionAvailable: UInt16 = 0x0080
    public static let opcodeMask: UInt16 = 0x7800
}

/// What a server makes of an incoming datagram or TCP message.
public enum DNSQueryParse: Sendable, Equatable {
    /// A standard query with one question.
    case query(DNSQuery)
    /// A query this server cannot take: answer with `code` (format error, not implemented),
    /// echoing the id and opcode.
    case reject(id: UInt16, flags: UInt16, code: DNSResponseCode)
    /// Not worth an answer: too short to carry an id, or itself a response.
    case ignore

    /// Parses `bytes`: the header, exactly one question, and the other sections only far
    /// enough to find an OPT record in the additional section.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> DNSQueryParse {
        var reader = DNSReader(bytes)
        guard let id = try? reader.readUInt16(), let flags = try? reader.readUInt16() else { return .ignore }
        if flags & DNSHeaderFlags.response != 0 { return .ignore }
        do {
            let questions = try reader.readUInt16()
            let answers = try reader.readUInt16()
            let authorities = try reader.readUInt16()
            let additionals = try reader.readUInt16()
            if (flags >> 11) & 0xF != 0 { return .reject(id: id, flags: flags, code: .notImplemented) }
            guard questions == 1 else { return .reject(id: id, flags: flags, code: .formatError) }
            let name = try reader.readName()
            let type = DNSRecordType(rawValue: try reader.readUInt16())
            let recordClass = try reader.readUInt16()
            for _ in 0..<(Int(answers) + Int(authorities)) { try skipRecord(&reader) }
            var edns: DNSQuery.EDNS?
            for _ in 0..<additionals {
                try reader.skipName()
                let recordType = try reader.readUInt16()
                let recordClass = try reader.readUInt16()
                let ttl = try reader.readUInt32()
                let length = Int(try reader.readUInt16())
                try reader.skip(length)
                if recordType == DNSRecordType.opt.rawValue {
                    guard edns == nil else { return .reject(id: id, flags: flags, code: .formatError) }
                    edns = DNSQuery.EDNS(
                        udpPayloadSize: max(recordClass, 512), version: UInt8(truncatingIfNeeded: ttl >> 16), dnssecOK: ttl & 0x8000 != 0)
                }
            }
            return .query(DNSQuery(id: id, flags: flags, name: name, type: type, recordClass: recordClass, edns: edns))
        } catch {
            return .reject(id: id, flags: flags, code: .formatError)
        }
    }

    /// Parses a message held in an array.
    public static func parse(_ bytes: [UInt8]) -> DNSQueryParse {
        bytes.withUnsafeBytes { parse($0) }
    }

    private static func skipRecord(_ reader: inout DNSReader) throws {
        try reader.skipName()
        try reader.skip(8)
        let length = Int(try reader.readUInt16())
        try reader.skip(length)
    }
}
