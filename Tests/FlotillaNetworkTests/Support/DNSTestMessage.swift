import FlotillaCore
@testable import FlotillaNetwork

/// A whole DNS message decoded for assertions: the header fields, the question and every
/// record with its data in readable form.
struct DNSTestMessage {
    struct Record: Equatable {
        var name: String
        var type: DNSRecordType
        var ttl: UInt32
        /// A: the address; CNAME/PTR: the target; SRV: "priority weight port target";
        /// SOA: "primary contact minimum"; OPT: the UDP size; others: the byte count.
        var data: String
    }

    var id: UInt16
    var flags: UInt16
    var questionName: String
    var questionType: DNSRecordType
    var answers: [Record] = []
    var authorities: [Record] = []
    var additionals: [Record] = []

    var code: DNSResponseCode { DNSResponseCode(rawValue: flags & 0xF) }
    var truncated: Bool { flags & DNSHeaderFlags.truncated != 0 }
    var authoritative: Bool { flags & DNSHeaderFlags.authoritative != 0 }

    init(_ bytes: [UInt8]) throws {
        let decoded: DNSTestMessage = try bytes.withUnsafeBytes { raw in
            var reader = DNSReader(raw)
            let id = try reader.readUInt16()
            let flags = try reader.readUInt16()
            let counts = try (0..<4).map { _ in Int(try reader.readUInt16()) }
            var name = ""
            var type = DNSRecordType(rawValue: 0)
            for _ in 0..<counts[0] {
                name = Self.text(try reader.readName())
                type = DNSRecordType(rawValue: try reader.readUInt16())
                _ = try reader.readUInt16()
            }
            var message = DNSTestMessage(id: id, flags: flags, questionName: name, questionType: type)
            message.answers = try (0..<counts[1]).map { _ in try Self.record(&reader) }
            message.authorities = try (0..<counts[2]).map { _ in try Self.record(&reader) }
            message.additionals = try (0..<counts[3]).map { _ in try Self.record(&reader) }
            return message
        }
        self = decoded
    }

    private init(id: UInt16, flags: UInt16, questionName: String, questionType: DNSRecordType) {
        self.id = id
        self.flags = flags
        self.questionName = questionName
        self.questionType = questionType
    }

    /// The name with its case as on the wire.
    static func text(_ name: DNSName) -> String {
        name.labels.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }

    private static func record(_ reader: inout DNSReader) throws -> Record {
        let name = text(try reader.readName())
        let type = DNSRecordType(rawValue: try reader.readUInt16())
        let recordClass = try reader.readUInt16()
        let ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        let end = reader.offset + length
        let data: String
        switch type {
        case .a: data = IPv4Address(try reader.readUInt32()).description
        case .cname, .ptr: data = text(try reader.readName())
        case .srv:
            let priority = try reader.readUInt16(), weight = try reader.readUInt16(), port = try reader.readUInt16()
            data = "\(priority) \(weight) \(port) \(text(try reader.readName()))"
        case .soa:
            let primary = text(try reader.readName()), contact = text(try reader.readName())
            try reader.skip(16)
            data = "\(primary) \(contact) \(try reader.readUInt32())"
        case .opt: data = "\(recordClass)"
        default: data = "\(length) bytes"
        }
        guard reader.offset == end else { throw DNSReader.malformed("record data length does not match") }
        return Record(name: name, type: type, ttl: ttl, data: data)
    }
}

/// Queries as clients send them.
enum DNSTestQuery {
    /// A standard query with RD set; `udpPayloadSize` adds an EDNS0 OPT record.
    static func bytes(_ name: String, _ type: DNSRecordType = .a, id: UInt16 = 0x1234, udpPayloadSize: UInt16? = nil) -> [UInt8] {
        var writer = DNSMessageWriter()
        writer.writeHeader(id: id, flags: DNSHeaderFlags.recursionDesired, questions: 1, answers: 0, authorities: 0, additionals: udpPayloadSize == nil ? 0 : 1)
        writer.writeQuestion(DNSName(name), type: type, recordClass: 1)
        if let udpPayloadSize { writer.writeOPT(udpPayloadSize: udpPayloadSize, code: .noError) }
        return writer.bytes
    }

    static func parsed(_ name: String, _ type: DNSRecordType = .a, udpPayloadSize: UInt16? = nil) -> DNSQuery {
        guard case .query(let query) = DNSQueryParse.parse(bytes(name, type, udpPayloadSize: udpPayloadSize)) else {
            fatalError("test query for \(name) does not parse")
        }
        return query
    }
}
