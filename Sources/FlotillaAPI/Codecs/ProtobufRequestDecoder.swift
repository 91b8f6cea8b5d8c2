import FlotillaCore
import Foundation

/// Decodes a Kubernetes protobuf request body (`application/vnd.kubernetes.protobuf`) into the
/// JSON object the API serves, walking the kind's ``Definition`` to give field numbers their
/// JSON names and types.
///
/// The body is the 4 magic bytes `k8s\0` and a `runtime.Unknown` message
/// {1: TypeMeta {1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}; `raw` is
/// the object in Kubernetes' generated.proto numbering.
///
/// Go writes every non-pointer field, so the wire carries zero values the JSON Kubernetes stores
/// leaves out. Each ``Field``'s ``FieldPresence`` decides: the zero (`false`, `0`, `""`, empty
/// bytes, a zero time) of an ``FieldPresence/omittedWhenZero`` field is dropped, as Go's
/// `omitempty` does (`paused`, `hostPID`, template `generation`); pointer and always-serialized
/// fields keep every value they carry (`replicas: 0`, `containerPort`). Nested objects are kept
/// even when empty (`"spec": {}`, `"resources": {}`), as Kubernetes' own JSON has them. Map
/// values and list elements are always kept.
///
/// Messages that Go embeds in their parent (``SchemaCatalog/embeddedMessages``: a probe's
/// handler, a volume's source) are decoded as their own definition and their members inlined
/// into the parent object, as in Kubernetes' JSON.
public struct ProtobufRequestDecoder: Sendable {
    /// The result of decoding one body.
    public struct Decoded: Sendable {
        /// The object, `apiVersion` and `kind` first.
        public var object: JSON
        /// The kind named by the body's TypeMeta.
        public var groupVersionKind: GroupVersionKind
        /// Fields whose numbers the schema does not know, as `path#number`
        /// (e.g. `spec.template.spec#99`), and fields whose referenced definition the catalog
        /// lacks, as `path#<Name>`; both were skipped.
        public var unknownFields: [String]
    }

    /// The four bytes every Kubernetes protobuf body starts with: `k8s\0`.
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// The content type of Kubernetes protobuf bodies.
    public static let contentType = "application/vnd.kubernetes.protobuf"

    private let schemas: SchemaCatalog
    private let resources: ResourceCatalog
    /// Definition names by `apiVersion/kind` ("apps/v1/Deployment", "v1/Pod").
    private let rootByKind: [String: String]

    public init(schemas: SchemaCatalog = .shared, resources: ResourceCatalog = .shared) {
        self.schemas = schemas
        self.resources = resources
        var roots: [String: String] = [:]
        for r in resources.all { roots["\(r.apiVersion)/\(r.kind)"] = r.schema }
        for d in schemas.definitions.values.sorted(by: { $0.name < $1.name }) {
            for gvk in d.groupVersionKinds where roots["\(gvk.apiVersion)/\(gvk.kind)"] == nil {
                roots["\(gvk.apiVersion)/\(gvk.kind)"] = d.name
            }
        }
        self.rootByKind = roots
    }

    /// Whether `body` starts with the protobuf magic bytes.
    public static func hasMagic(_ body: some Collection<UInt8>) -> Bool {
        body.starts(with: magic)
    }

    /// Decodes a whole request body.
    ///
    /// - Parameter root: the object's schema when the caller already knows it (the URL's
    ///   resource); otherwise it is found from the body's apiVersion and kind.
    /// - Throws: ``FlotillaError`` 400 for malformed bytes or an unknown kind, 415 for an
    ///   encoded (compressed) payload.
    public func decode(_ body: [UInt8], root: Definition? = nil) throws(FlotillaError) -> Decoded {
        guard Self.hasMagic(body) else {
            throw FlotillaError(.badRequest, "protobuf body does not start with the \"k8s\\0\" prefix")
        }
        var envelope = Envelope()
        do {
            envelope = try readEnvelope(body)
        } catch {
            throw FlotillaError(.badRequest, "unable to decode protobuf body: \(error.message) at byte \(error.offset)")
        }
        guard envelope.contentEncoding.isEmpty else {
            throw FlotillaError(
                .unsupportedMediaType, "protobuf body with content encoding \"\(envelope.contentEncoding)\" is not supported")
        }
        let gvk = Self.groupVersionKind(apiVersion: envelope.apiVersion, kind: envelope.kind)

        var object = JSONObject()
        if !envelope.apiVersion.isEmpty { object["apiVersion"] = .string(envelope.apiVersion) }
        if !envelope.kind.isEmpty { object["kind"] = .string(envelope.kind) }

        if envelope.contentType.contains("json") {
            let parsed: JSON
            do {
                parsed = try JSONParser.parse(body[envelope.raw])
            } catch {
                throw FlotillaError(.badRequest, "unable to decode JSON payload of protobuf body: \(error)")
            }
            guard case .object(let members) = parsed else {
                throw FlotillaError(.badRequest, "JSON payload of protobuf body is not an object")
            }
            for (k, v) in members where object[k] == nil { object[k] = v }
            return Decoded(object: .object(object), groupVersionKind: gvk, unknownFields: [])
        }

        guard let definition = root ?? rootDefinition(for: envelope) else {
            throw FlotillaError(
                .badRequest, "no kind \"\(envelope.kind)\" is registered for version \"\(envelope.apiVersion)\"")
        }
        var walker = Walker(schemas: schemas)
        var reader = ProtobufReader(body, from: envelope.raw.lowerBound, to: envelope.raw.upperBound)
        let fields: JSONObject
        do {
            fields = try walker.message(&reader, definition: definition, path: [])
        } catch {
            let location = error.path.isEmpty ? "" : " in field \(error.path)"
            throw FlotillaError(
                .badRequest,
                "unable to decode protobuf body as \(definition.name)\(location): \(error.message) at byte \(error.offset)")
        }
        for (k, v) in fields where k != "apiVersion" && k != "kind" { object[k] = v }
        return Decoded(object: .object(object), groupVersionKind: gvk, unknownFields: walker.unknownFields)
    }

    /// Decodes one message in generated.proto numbering as an object of `definition`, without
    /// the `k8s\0` envelope.
    public func decodeMessage(_ bytes: [UInt8], as definition: Definition) throws(FlotillaError)
        -> (object: JSON, unknownFields: [String])
    {
        var walker = Walker(schemas: schemas)
        var reader = ProtobufReader(bytes)
        do {
            let o = try walker.message(&reader, definition: definition, path: [])
            return (.object(o), walker.unknownFields)
        } catch {
            let location = error.path.isEmpty ? "" : " in field \(error.path)"
            throw FlotillaError(
                .badRequest,
                "unable to decode protobuf message as \(definition.name)\(location): \(error.message) at byte \(error.offset)")
        }
    }

    private func rootDefinition(for envelope: Envelope) -> Definition? {
        rootByKind["\(envelope.apiVersion)/\(envelope.kind)"].flatMap { schemas.definition($0) }
    }

    static func groupVersionKind(apiVersion: String, kind: String) -> GroupVersionKind {
        if let slash = apiVersion.firstIndex(of: "/") {
            return GroupVersionKind(
                String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]), kind)
        }
        return GroupVersionKind("", apiVersion, kind)
    }

    // MARK: - Envelope

    /// The fields of `runtime.Unknown`.
    private struct Envelope {
        var apiVersion = ""
        var kind = ""
        var raw: Range<Int> = 0..<0
        var contentEncoding = ""
        var contentType = ""
    }

    private func readEnvelope(_ body: [UInt8]) throws(ProtobufReader.MalformedError) -> Envelope {
        var envelope = Envelope()
        envelope.raw = body.count..<body.count
        var reader = ProtobufReader(body, from: Self.magic.count, to: body.count)
        func text(_ r: Range<Int>, _ reader: ProtobufReader) -> String { String(decoding: reader.slice(r), as: UTF8.self) }
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            guard tag.wireType == .lengthDelimited, (1...4).contains(tag.number) else {
                try reader.skip(tag.wireType, number: tag.number)
                continue
            }
            let range = try reader.readLengthDelimited()
            switch tag.number {
            case 1:
                var meta = reader.reader(over: range)
                while !meta.isAtEnd {
                    let t = try meta.readTag()
                    if t.wireType == .lengthDelimited, t.number == 1 || t.number == 2 {
                        let r = try meta.readLengthDelimited()
                        if t.number == 1 { envelope.apiVersion = text(r, meta) } else { envelope.kind = text(r, meta) }
                    } else {
                        try meta.skip(t.wireType, number: t.number)
                    }
                }
            case 2: envelope.raw = range
            case 3: envelope.contentEncoding = text(range, reader)
            default: envelope.contentType = text(range, reader)
            }
        }
        return envelope
    }
}

// MARK: - Schema walk

extension ProtobufRequestDecoder {
    /// A malformed value inside the object, with the JSON path of the field that held it.
    struct FieldError: Error {
        var message: String
        var offset: Int
        var path: String
    }

    /// Walks messages against definitions, collecting the numbers it does not know.
    ///
    /// Reader errors are turned into ``FieldError``s at the innermost field that holds them.
    private struct Walker {
        let schemas: SchemaCatalog
        var unknownFields: [String] = []
        /// How many messages deep the walk is; a recursive schema cannot take it past
        /// ``maximumDepth``.
        private var depth = 0
        static let maximumDepth = 100

        init(schemas: SchemaCatalog) { self.schemas = schemas }

        static func expect(_ got: ProtobufReader.WireType, _ wanted: ProtobufReader.WireType, at offset: Int) throws {
            guard got == wanted else {
                throw ProtobufReader.MalformedError(
                    message: "wire type \(got.name) where \(wanted.name) was expected", offset: offset)
            }
        }

        /// Decodes the fields of one message, in the definition's field order.
        mutating func message(
            _ reader: inout ProtobufReader, definition: Definition, path: [FieldPath.Step]
        ) throws(FieldError) -> JSONObject {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw FieldError(
                    message: "messages nested deeper than \(Self.maximumDepth) levels", offset: reader.offset,
                    path: FieldPath.render(path))
            }
            var values: [String: JSON] = [:]
            while !reader.isAtEnd {
                var fieldPath = path
                do {
                    let tagOffset = reader.offset
                    let tag = try reader.readTag()
                    guard let field = definition.field(number: tag.number) else {
                        if let embedded = schemas.embeddedMessage(in: definition.name, number: tag.number) {
                            try inline(embedded, tag.wireType, &reader, into: &values, path: path, at: tagOffset)
                            continue
                        }
                        unknownFields.append("\(FieldPath.render(path))#\(tag.number)")
                        try reader.skip(tag.wireType, number: tag.number)
                        continue
                    }
                    fieldPath.append(.name(field.name))
                    try self.field(
                        field, tag.wireType, &reader, into: &values, path: fieldPath, at: tagOffset)
                } catch let error as FieldError {
                    throw error
                } catch let error as ProtobufReader.MalformedError {
                    throw FieldError(message: error.message, offset: error.offset, path: FieldPath.render(fieldPath))
                } catch {
                    throw FieldError(message: "\(error)", offset: reader.offset, path: FieldPath.render(fieldPath))
                }
            }
            var out = JSONObject()
            for f in definition.fields {
                if let v = values.removeValue(forKey: f.name) { out[f.name] = v }
            }
            // Members of an inlined message that the parent's definition does not list.
            for (name, v) in values.sorted(by: { $0.key < $1.key }) { out[name] = v }
            return out
        }

        /// Decodes an embedded message and merges its members into the parent's `values`.
        private mutating func inline(
            _ embedded: EmbeddedMessage, _ wire: ProtobufReader.WireType, _ reader: inout ProtobufReader,
            into values: inout [String: JSON], path: [FieldPath.Step], at: Int
        ) throws {
            var m = try Self.embedded(wire, &reader, at: at)
            guard let definition = schemas.definition(embedded.definition) else {
                unknownFields.append("\(FieldPath.render(path))#<\(embedded.definition)>")
                return
            }
            for (name, v) in try message(&m, definition: definition, path: path) {
                if case .object(let newer) = v, case .object(var older)? = values[name] {
                    for (k, inner) in newer { older[k] = inner }
                    values[name] = .object(older)
                } else {
                    values[name] = v
                }
            }
        }

        /// Decodes one occurrence of a field into `values` (lists and maps accumulate).
        private mutating func field(
            _ field: Field, _ wire: ProtobufReader.WireType, _ reader: inout ProtobufReader,
            into values: inout [String: JSON], path: [FieldPath.Step], at: Int
        ) throws {
            switch field.type {
            case .array(let element):
                var list = values[field.name]?.array ?? []
                if wire == .lengthDelimited, let packedWire = Self.packedWireType(element) {
                    var packed = reader.reader(over: try reader.readLengthDelimited())
                    while !packed.isAtEnd {
                        let v = try value(
                            element, packedWire, &packed, path: path + [.index(list.count)], keepEmpty: true,
                            at: packed.offset)
                        list.append(v ?? .null)
                    }
                } else {
                    let v = try value(element, wire, &reader, path: path + [.index(list.count)], keepEmpty: true, at: at)
                    list.append(v ?? .null)
                }
                values[field.name] = .array(list)
            case .map(let valueType):
                var entry = try Self.embedded(wire, &reader, at: at)
                let (key, v) = try mapEntry(&entry, valueType: valueType, path: path)
                var map = values[field.name]?.object ?? [:]
                map[key] = v
                values[field.name] = .object(map)
            default:
                let decoded = try value(field.type, wire, &reader, path: path, keepEmpty: field.keepsZeroValue, at: at)
                if case .object(let newer)? = decoded, case .object(var older)? = values[field.name] {
                    // A message field seen twice merges, as protobuf specifies.
                    for (k, v) in newer { older[k] = v }
                    values[field.name] = .object(older)
                } else {
                    values[field.name] = decoded
                }
            }
        }

        /// The wire type of one element of a packed list, for the scalar types that pack.
        static func packedWireType(_ type: SchemaType) -> ProtobufReader.WireType? {
            switch type {
            case .int32, .int64, .boolean: return .varint
            case .number: return .fixed64
            default: return nil
            }
        }

        /// One entry message {1: key, 2: value} of a map.
        mutating func mapEntry(
            _ entry: inout ProtobufReader, valueType: SchemaType, path: [FieldPath.Step]
        ) throws -> (String, JSON) {
            var key = ""
            var result: JSON?
            while !entry.isAtEnd {
                let at = entry.offset
                let tag = try entry.readTag()
                switch tag.number {
                case 1:
                    try Self.expect(tag.wireType, .lengthDelimited, at: at)
                    key = String(decoding: entry.slice(try entry.readLengthDelimited()), as: UTF8.self)
                case 2:
                    result = try value(valueType, tag.wireType, &entry, path: path + [.key(key)], keepEmpty: true, at: at)
                default:
                    try entry.skip(tag.wireType, number: tag.number)
                }
            }
            return (key, result ?? Self.zeroValue(valueType))
        }

        /// The JSON of a map value the wire left out (Go's zero value).
        static func zeroValue(_ type: SchemaType) -> JSON {
            switch type {
            case .string, .bytes: return .string("")
            case .int32, .int64, .intOrString: return .int(0)
            case .number: return .double(0)
            case .boolean: return .bool(false)
            case .quantity: return .string("0")
            case .duration: return .string("0s")
            case .array: return .array([])
            case .map, .ref: return .emptyObject
            case .time, .microTime, .any: return .null
            }
        }

        /// One value of `type`; `nil` means "leave the field out".
        ///
        /// - Parameter keepEmpty: whether a zero value (`""`, `0`, `false`, a zero time, an empty
        ///   raw value) is kept; otherwise it is read as "not set" and left out.
        mutating func value(
            _ type: SchemaType, _ wire: ProtobufReader.WireType, _ reader: inout ProtobufReader,
            path: [FieldPath.Step], keepEmpty: Bool, at: Int
        ) throws -> JSON? {
            switch type {
            case .string:
                try Self.expect(wire, .lengthDelimited, at: at)
                let r = try reader.readLengthDelimited()
                if r.isEmpty, !keepEmpty { return nil }
                return .string(String(decoding: reader.slice(r), as: UTF8.self))
            case .bytes:
                try Self.expect(wire, .lengthDelimited, at: at)
                let r = try reader.readLengthDelimited()
                if r.isEmpty, !keepEmpty { return nil }
                return .string(Data(reader.slice(r)).base64EncodedString())
            case .int32:
                try Self.expect(wire, .varint, at: at)
                let v = Int64(Int32(truncatingIfNeeded: try reader.readVarint()))
                return v == 0 && !keepEmpty ? nil : .int(v)
            case .int64:
                try Self.expect(wire, .varint, at: at)
                let v = Int64(bitPattern: try reader.readVarint())
                return v == 0 && !keepEmpty ? nil : .int(v)
            case .boolean:
                try Self.expect(wire, .varint, at: at)
                let v = try reader.readVarint() != 0
                return !v && !keepEmpty ? nil : .bool(v)
            case .number:
                let v: Double
                if wire == .fixed32 {
                    v = Double(Float(bitPattern: try reader.readFixed32()))
                } else {
                    try Self.expect(wire, .fixed64, at: at)
                    v = Double(bitPattern: try reader.readFixed64())
                }
                return v == 0 && !keepEmpty ? nil : .double(v)
            case .quantity:
                var m = try Self.embedded(wire, &reader, at: at)
                var text = "0"
                try Self.fields(of: &m) { n, w, r in
                    guard n == 1 else { return false }
                    try Self.expect(w, .lengthDelimited, at: r.offset)
                    text = String(decoding: r.slice(try r.readLengthDelimited()), as: UTF8.self)
                    return true
                }
                return .string(text)
            case .intOrString:
                var m = try Self.embedded(wire, &reader, at: at)
                var isString = false
                var intVal: Int64 = 0
                var strVal = ""
                try Self.fields(of: &m) { n, w, r in
                    switch n {
                    case 1:
                        try Self.expect(w, .varint, at: r.offset)
                        isString = try r.readVarint() == 1
                    case 2:
                        try Self.expect(w, .varint, at: r.offset)
                        intVal = Int64(Int32(truncatingIfNeeded: try r.readVarint()))
                    case 3:
                        try Self.expect(w, .lengthDelimited, at: r.offset)
                        strVal = String(decoding: r.slice(try r.readLengthDelimited()), as: UTF8.self)
                    default: return false
                    }
                    return true
                }
                return isString ? .string(strVal) : .int(intVal)
            case .time, .microTime:
                var m = try Self.embedded(wire, &reader, at: at)
                var seconds: Int64 = 0
                var nanos: Int64 = 0
                try Self.fields(of: &m) { n, w, r in
                    guard n == 1 || n == 2 else { return false }
                    try Self.expect(w, .varint, at: r.offset)
                    let v = try r.readVarint()
                    if n == 1 { seconds = Int64(bitPattern: v) } else { nanos = Int64(Int32(truncatingIfNeeded: v)) }
                    return true
                }
                if seconds == 0, nanos == 0 { return keepEmpty ? .null : nil }
                guard (0..<1_000_000_000).contains(nanos) else {
                    throw ProtobufReader.MalformedError(message: "nanoseconds \(nanos) out of range", offset: at)
                }
                let whole = Timestamp.format(Date(timeIntervalSince1970: Double(seconds)))
                if case .time = type { return .string(whole) }
                let micros = String(nanos / 1_000)
                return .string(whole.dropLast() + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z")
            case .duration:
                var m = try Self.embedded(wire, &reader, at: at)
                var nanos: Int64 = 0
                try Self.fields(of: &m) { n, w, r in
                    guard n == 1 else { return false }
                    try Self.expect(w, .varint, at: r.offset)
                    nanos = Int64(bitPattern: try r.readVarint())
                    return true
                }
                return .string(GoDuration.format(nanoseconds: nanos))
            case .any:
                var m = try Self.embedded(wire, &reader, at: at)
                var raw: Range<Int>?
                try Self.fields(of: &m) { n, w, r in
                    guard n == 1 else { return false }
                    try Self.expect(w, .lengthDelimited, at: r.offset)
                    raw = try r.readLengthDelimited()
                    return true
                }
                guard let raw, !raw.isEmpty else { return keepEmpty ? .null : nil }
                do {
                    return try JSONParser.parse(m.slice(raw))
                } catch {
                    throw ProtobufReader.MalformedError(message: "embedded raw value is not JSON: \(error)", offset: raw.lowerBound)
                }
            case .ref(let name):
                var m = try Self.embedded(wire, &reader, at: at)
                guard let definition = schemas.definition(name) else {
                    unknownFields.append("\(FieldPath.render(path))#<\(name)>")
                    return nil
                }
                return .object(try message(&m, definition: definition, path: path))
            case .array(let element):
                // A list inside a list or a map travels wrapped in a message {1: repeated element}.
                var m = try Self.embedded(wire, &reader, at: at)
                var list: [JSON] = []
                while !m.isAtEnd {
                    let tagOffset = m.offset
                    let tag = try m.readTag()
                    guard tag.number == 1 else {
                        try m.skip(tag.wireType, number: tag.number)
                        continue
                    }
                    if tag.wireType == .lengthDelimited, let packedWire = Self.packedWireType(element) {
                        var packed = m.reader(over: try m.readLengthDelimited())
                        while !packed.isAtEnd {
                            let v = try value(element, packedWire, &packed, path: path, keepEmpty: true, at: packed.offset)
                            list.append(v ?? .null)
                        }
                    } else {
                        let v = try value(
                            element, tag.wireType, &m, path: path + [.index(list.count)], keepEmpty: true, at: tagOffset)
                        list.append(v ?? .null)
                    }
                }
                return .array(list)
            case .map(let valueType):
                // A map inside a list or a map: a message {1: repeated entry}.
                var m = try Self.embedded(wire, &reader, at: at)
                var map = JSONObject()
                while !m.isAtEnd {
                    let tagOffset = m.offset
                    let tag = try m.readTag()
                    guard tag.number == 1 else {
                        try m.skip(tag.wireType, number: tag.number)
                        continue
                    }
                    var entry = try Self.embedded(tag.wireType, &m, at: tagOffset)
                    let (k, v) = try mapEntry(&entry, valueType: valueType, path: path)
                    map[k] = v
                }
                return .object(map)
            }
        }

        /// A reader over the embedded message that follows a length-delimited tag.
        static func embedded(
            _ wire: ProtobufReader.WireType, _ reader: inout ProtobufReader, at: Int
        ) throws -> ProtobufReader {
            try expect(wire, .lengthDelimited, at: at)
            return reader.reader(over: try reader.readLengthDelimited())
        }

        /// Runs `handle` on every field of a small fixed message; fields it declines are skipped.
        static func fields(
            of m: inout ProtobufReader, _ handle: (Int, ProtobufReader.WireType, inout ProtobufReader) throws -> Bool
        ) throws {
            while !m.isAtEnd {
                let tag = try m.readTag()
                if try handle(tag.number, tag.wireType, &m) { continue }
                try m.skip(tag.wireType, number: tag.number)
            }
        }
    }
}
