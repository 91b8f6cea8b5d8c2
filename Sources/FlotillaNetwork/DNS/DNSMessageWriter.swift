/// Appends the parts of a DNS message to a byte array, compressing names (RFC 1035 §4.1.4):
/// every name suffix written is remembered, and a later name ending in it points back to it.
struct DNSMessageWriter {
    private(set) var bytes: [UInt8] = []
    /// Lower-cased name suffixes and where they were written. A message holds few distinct
    /// suffixes, and comparing their bytes is cheaper than hashing them.
    private var suffixes: [(name: Substring, offset: UInt16)] = []

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func writeHeader(id: UInt16, flags: UInt16, questions: Int, answers: Int, authorities: Int, additionals: Int) {
        writeUInt16(id)
        writeUInt16(flags)
        writeUInt16(UInt16(questions))
        writeUInt16(UInt16(answers))
        writeUInt16(UInt16(authorities))
        writeUInt16(UInt16(additionals))
    }

    /// Writes the question as the client sent it (its case kept); answers for that name then
    /// point at it.
    mutating func writeQuestion(_ name: DNSName, type: DNSRecordType, recordClass: UInt16) {
        var suffixStart = name.key.startIndex
        var escaped = false
        var labelIndex = 0
        rememberSuffix(name.key[suffixStart...])
        // Dots and backslashes are ASCII, so walking the bytes finds the label boundaries.
        for index in name.key.utf8.indices {
            let byte = name.key.utf8[index]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "."), labelIndex < name.labels.count {
                let label = name.labels[labelIndex]
                bytes.append(UInt8(label.count))
                bytes.append(contentsOf: label)
                labelIndex += 1
                suffixStart = name.key.utf8.index(after: index)
                rememberSuffix(name.key[suffixStart...])
            }
        }
        if labelIndex < name.labels.count {
            bytes.append(UInt8(name.labels[labelIndex].count))
            bytes.append(contentsOf: name.labels[labelIndex])
        }
        bytes.append(0)
        writeUInt16(type.rawValue)
        writeUInt16(recordClass)
    }

    /// Writes a dotted name; `compressed: false` writes it in full (as RFC 2782 asks of SRV
    /// targets) but still lets later names point into it.
    mutating func writeName(_ name: String, compressed: Bool = true) {
        var suffix = Substring(name)
        while !suffix.isEmpty {
            if compressed, let offset = offset(of: suffix) {
                writeUInt16(0xC000 | offset)
                return
            }
            rememberSuffix(suffix)
            let label = suffix.utf8.prefix { $0 != UInt8(ascii: ".") }
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
            suffix = label.count < suffix.utf8.count ? Substring(suffix.utf8.dropFirst(label.count + 1)) : ""
        }
        bytes.append(0)
    }

    mutating func writeRecord(_ record: DNSRecord) {
        writeName(record.name)
        writeUInt16(record.type.rawValue)
        writeUInt16(1)
        writeUInt32(record.ttl)
        let lengthAt = bytes.count
        writeUInt16(0)
        switch record.data {
        case .a(let address):
            writeUInt32(address.value)
        case .cname(let target), .ptr(let target):
            writeName(target)
        case .srv(let priority, let weight, let port, let target):
            writeUInt16(priority)
            writeUInt16(weight)
            writeUInt16(port)
            writeName(target, compressed: false)
        case .soa(let soa):
            writeName(soa.primaryServer)
            writeName(soa.contact)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writeUInt32(value) }
        }
        let length = UInt16(bytes.count - lengthAt - 2)
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(length & 0xFF)
    }

    /// Writes an EDNS0 OPT record (RFC 6891 §6.1.2) offering `udpPayloadSize`, with the upper
    /// bits of an extended response code.
    mutating func writeOPT(udpPayloadSize: UInt16, code: DNSResponseCode) {
        bytes.append(0)
        writeUInt16(DNSRecordType.opt.rawValue)
        writeUInt16(udpPayloadSize)
        writeUInt32(UInt32(code.rawValue >> 4) << 24)
        writeUInt16(0)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(value & 0xFFFF))
    }

    private func offset(of suffix: Substring) -> UInt16? {
        let count = suffix.utf8.count
        return suffixes.first { $0.name.utf8.count == count && $0.name.utf8.elementsEqual(suffix.utf8) }?.offset
    }

    private mutating func rememberSuffix(_ suffix: Substring) {
        guard !suffix.isEmpty, bytes.count < 0x4000, offset(of: suffix) == nil else { return }
        suffixes.append((suffix, UInt16(bytes.count)))
    }
}
