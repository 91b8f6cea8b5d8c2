/// An answer to one query: the response code and the three record sections. Encoding it for
/// the query echoes the query's id, opcode, RD and CD bits and its question, adds an OPT record
/// when the query had one, and truncates (TC) what does not fit the transport's limit.
public struct DNSResponse: Sendable, Equatable {
    public var code: DNSResponseCode
    /// Whether this server is the authority for the name (the cluster domain).
    public var authoritative: Bool
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    public var additionals: [DNSRecord]

    public init(
        code: DNSResponseCode = .noError, authoritative: Bool = false, answers: [DNSRecord] = [], authorities: [DNSRecord] = [],
        additionals: [DNSRecord] = []
    ) {
        self.code = code
        self.authoritative = authoritative
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// The bytes of this response to `query`. When they exceed `limit` (a UDP answer), the
    /// result is the header and question alone with the TC bit set, and the client retries
    /// over TCP. `udpPayloadSize` is what our OPT record offers.
    public func encode(answering query: DNSQuery, limit: Int = .max, udpPayloadSize: UInt16 = DNSLimits.udpPayloadSize) -> [UInt8] {
        let full = encode(query, sections: true, udpPayloadSize: udpPayloadSize)
        if full.count <= limit { return full }
        return encode(query, sections: false, udpPayloadSize: udpPayloadSize)
    }

    private func encode(_ query: DNSQuery, sections: Bool, udpPayloadSize: UInt16) -> [UInt8] {
        var code = code
        if let edns = query.edns, edns.version > 0 { code = .badVersion }
        let keep = sections && code != .badVersion
        var flags = DNSHeaderFlags.response | (query.flags & (DNSHeaderFlags.opcodeMask | DNSHeaderFlags.recursionDesired | 0x0010))
        flags |= DNSHeaderFlags.recursionAvailable | (code.rawValue & 0xF)
        if authoritative { flags |= DNSHeaderFlags.authoritative }
        if !sections { flags |= DNSHeaderFlags.truncated }
        var writer = DNSMessageWriter()
        writer.writeHeader(
            id: query.id, flags: flags, questions: 1, answers: keep ? answers.count : 0, authorities: keep ? authorities.count : 0,
            additionals: (keep ? additionals.count : 0) + (query.edns == nil ? 0 : 1))
        writer.writeQuestion(query.name, type: query.type, recordClass: query.recordClass)
        if keep {
            for record in answers { writer.writeRecord(record) }
            for record in authorities { writer.writeRecord(record) }
            for record in additionals { writer.writeRecord(record) }
        }
        if query.edns != nil { writer.writeOPT(udpPayloadSize: udpPayloadSize, code: code) }
        return writer.bytes
    }

    /// A bare response with `code` and no question, for queries too broken to echo
    /// (format error) or of an unsupported opcode.
    public static func rejection(id: UInt16, flags: UInt16, code: DNSResponseCode) -> [UInt8] {
        var writer = DNSMessageWriter(capacity: 12)
        let echoed = flags & (DNSHeaderFlags.opcodeMask | DNSHeaderFlags.recursionDesired)
        writer.writeHeader(
            id: id, flags: DNSHeaderFlags.response | echoed | DNSHeaderFlags.recursionAvailable | (code.rawValue & 0xF),
            questions: 0, answers: 0, authorities: 0, additionals: 0)
        return writer.bytes
    }
}

/// Sizes the server works with.
public enum DNSLimits {
    /// The most a UDP answer may carry for a client without EDNS0 (RFC 1035 §4.2.1).
    public static let classicUDPPayload = 512
    /// What our OPT record offers and the most we send over UDP: 1232 bytes, the size the DNS
    /// flag day 2020 recommends, which avoids IP fragmentation.
    public static let udpPayloadSize: UInt16 = 1232

    /// The most a UDP answer to `query` may carry.
    public static func udpLimit(for query: DNSQuery) -> Int {
        guard let edns = query.edns else { return classicUDPPayload }
        return max(classicUDPPayload, min(Int(edns.udpPayloadSize), Int(udpPayloadSize)))
    }
}
