import FlotillaAPI
import FlotillaCore
import Foundation
import Testing

/// A definition using every schema type, for hand-built bodies.
private enum WidgetSchema {
    static let widget = Definition(
        "io.example.v1.Widget", gvk: [GroupVersionKind("example.io", "v1", "Widget")],
        fields: [
            Field("count", 1, .int32), Field("big", 2, .int64), Field("ratio", 3, .number),
            Field("flag", 4, .boolean), Field("blob", 5, .bytes), Field("size", 6, .quantity),
            Field("port", 7, .intOrString), Field("at", 8, .time), Field("renewed", 9, .microTime),
            Field("every", 10, .duration), Field("payload", 11, .any), Field("numbers", 12, .array(.int32)),
            Field("limits", 13, .map(.quantity)), Field("extra", 14, .map(.array(.string()))),
            Field("tags", 15, .array(.string())), Field("name", 16, .string()),
        ])
    static let catalog = SchemaCatalog([widget])
    static let decoder = ProtobufRequestDecoder(schemas: catalog, resources: ResourceCatalog([]))

    static func decode(_ build: (inout ProtobufTestWriter) -> Void) throws -> ProtobufRequestDecoder.Decoded {
        var w = ProtobufTestWriter()
        build(&w)
        return try decoder.decode(ProtobufTestWriter.body(apiVersion: "example.io/v1", kind: "Widget", raw: w.bytes))
    }
}

@Suite("ProtobufRequestDecoder")
struct ProtobufRequestDecoderTests {
    let decoder = ProtobufRequestDecoder(schemas: CodecTestSchemas.catalog, resources: ResourceCatalog([]))

    func expectDecoded(_ base64: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let decoded = try decoder.decode(CapturedKubectlBodies.bytes(base64))
        #expect(decoded.object == (try JSONParser.parse(expected)), sourceLocation: sourceLocation)
    }

    @Test func namespaceFromKubectl() throws {
        try expectDecoded(
            CapturedKubectlBodies.namespace,
            #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"},"spec":{},"status":{}}"#)
        let d = try decoder.decode(CapturedKubectlBodies.bytes(CapturedKubectlBodies.namespace))
        #expect(d.groupVersionKind == GroupVersionKind("", "v1", "Namespace"))
        #expect(d.unknownFields.isEmpty)
    }

    @Test func configMapFromKubectl() throws {
        try expectDecoded(
            CapturedKubectlBodies.configMap,
            #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}"#)
    }

    @Test func secretDataBecomesBase64() throws {
        try expectDecoded(
            CapturedKubectlBodies.secret,
            #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"Yg=="}}"#)
    }

    @Test func serviceWithIntOrStringTargetPort() throws {
        try expectDecoded(
            CapturedKubectlBodies.service,
            #"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"s","labels":{"app":"s"}},
             "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],
                     "selector":{"app":"s"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """#)
    }

    @Test func selfSubjectAccessReviewFromCanI() throws {
        try expectDecoded(
            CapturedKubectlBodies.canI,
            #"""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},
             "status":{"allowed":false}}
            """#)
    }

    @Test func deploymentWithPartialSchemaReportsUnknownNumbers() throws {
        let d = try decoder.decode(CapturedKubectlBodies.bytes(CapturedKubectlBodies.deployment))
        let expected = try JSONParser.parse(
            #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
                     "template":{"metadata":{"labels":{"app":"d"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}}}}
            """#)
        #expect(d.object == expected)
        #expect(d.unknownFields.contains("#3"))
        #expect(d.unknownFields.contains("spec#4"))
        #expect(d.unknownFields.contains("spec.template.spec#6"))
        #expect(d.unknownFields.contains("spec.template.spec.containers[0]#16"))
    }

    @Test func explicitRootOverridesLookup() throws {
        let d = try decoder.decode(CapturedKubectlBodies.bytes(CapturedKubectlBodies.configMap), root: CodecTestSchemas.secret)
        #expect(d.object["data"] == ["a": "Yg=="])
        #expect(d.object["kind"] == "ConfigMap")
    }

    @Test func unknownKindIsBadRequest() throws {
        let error = #expect(throws: FlotillaError.self) {
            try decoder.decode(CapturedKubectlBodies.bytes(CapturedKubectlBodies.job))
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("Job") == true)
    }

    @Test func missingMagicIsBadRequest() throws {
        let error = #expect(throws: FlotillaError.self) { try decoder.decode(Array("{\"kind\":\"Pod\"}".utf8)) }
        #expect(error?.code == .badRequest)
    }

    @Test func truncatedBodyIsBadRequest() throws {
        let full = CapturedKubectlBodies.bytes(CapturedKubectlBodies.service)
        for cut in [5, 20, 40, full.count - 3] {
            let error = #expect(throws: FlotillaError.self) { try decoder.decode(Array(full[..<cut])) }
            #expect(error?.code == .badRequest)
        }
    }

    @Test func wrongWireTypeNamesTheField() throws {
        var raw = ProtobufTestWriter()
        raw.message(2) { spec in spec.string(1, "two") }  // replicas as a string
        let body = ProtobufTestWriter.body(apiVersion: "apps/v1", kind: "Deployment", raw: raw.bytes)
        let error = #expect(throws: FlotillaError.self) { try decoder.decode(body) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("spec.replicas") == true)
    }

    @Test func lengthPastEndIsBadRequest() throws {
        let body: [UInt8] = [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x7F, 0x0A]
        #expect(throws: FlotillaError.self) { try decoder.decode(body) }
    }

    @Test func encodedPayloadIsUnsupported() throws {
        var w = ProtobufTestWriter()
        w.message(1) { m in m.string(1, "v1"); m.string(2, "ConfigMap") }
        w.bytes(2, [1, 2, 3])
        w.string(3, "gzip")
        let error = #expect(throws: FlotillaError.self) { try decoder.decode([0x6B, 0x38, 0x73, 0x00] + w.bytes) }
        #expect(error?.code == .unsupportedMediaType)
    }

    @Test func jsonPayloadInsideEnvelope() throws {
        let body = ProtobufTestWriter.body(
            apiVersion: "v1", kind: "ConfigMap", contentType: "application/json",
            raw: Array(#"{"metadata":{"name":"j"},"data":{"k":"v"}}"#.utf8))
        let d = try decoder.decode(body)
        #expect(d.object == (try JSONParser.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"},"data":{"k":"v"}}"#)))
    }

    @Test func everyScalarType() throws {
        let d = try WidgetSchema.decode { w in
            w.int(1, -5)  // int32 negative: 10-byte two's complement varint
            w.int(2, 1 << 40)
            w.double(3, 0.25)
            w.int(4, 1)
            w.bytes(5, [0, 1, 2, 255])
            w.message(6) { q in q.string(1, "500m") }
            w.message(7) { p in p.int(1, 1); p.int(2, 0); p.string(3, "http") }
            w.message(8) { t in t.int(1, 1_700_000_000); t.int(2, 999) }
            w.message(9) { t in t.int(1, 1_700_000_000); t.int(2, 123_456_789) }
            w.message(10) { dur in dur.int(1, 3_600_000_000_000) }
            w.message(11) { a in a.string(1, #"{"x":[1,"y"]}"#) }
            w.string(16, "w")
        }
        #expect(d.unknownFields.isEmpty)
        let expected = try JSONParser.parse(
            #"""
            {"apiVersion":"example.io/v1","kind":"Widget","count":-5,"big":1099511627776,"ratio":0.25,"flag":true,
             "blob":"AAEC/w==","size":"500m","port":"http","at":"2023-11-14T22:13:20Z",
             "renewed":"2023-11-14T22:13:20.123456Z","every":"1h0m0s","payload":{"x":[1,"y"]},"name":"w"}
            """#)
        #expect(d.object == expected)
    }

    @Test func zeroValuesOfOmitEmptyFieldsAreDropped() throws {
        let d = try WidgetSchema.decode { w in
            w.int(1, 0)
            w.int(2, 0)
            w.double(3, 0)
            w.int(4, 0)
            w.string(16, "")
            w.bytes(5, [])
            w.message(8) { _ in }
            w.message(11) { _ in }
        }
        #expect(d.object == ["apiVersion": "example.io/v1", "kind": "Widget"])
    }

    @Test func repeatedScalarsPackedOrNot() throws {
        let d = try WidgetSchema.decode { w in
            w.int(12, 1)
            var packed = ProtobufTestWriter()
            packed.varint(2)
            packed.varint(UInt64(bitPattern: -3))
            packed.varint(300)
            w.bytes(12, packed.bytes)
            w.string(15, "a")
            w.string(15, "")
        }
        #expect(d.object["numbers"] == [1, 2, -3, 300])
        #expect(d.object["tags"] == ["a", ""])
    }

    @Test func mapsOfQuantitiesAndOfLists() throws {
        let d = try WidgetSchema.decode { w in
            w.message(13) { e in e.string(1, "cpu"); e.message(2) { q in q.string(1, "2") } }
            w.message(13) { e in e.string(1, "memory"); e.message(2) { q in q.string(1, "1Gi") } }
            w.message(14) { e in e.string(1, "groups"); e.message(2) { l in l.string(1, "a"); l.string(1, "b") } }
            w.message(14) { e in e.string(1, "empty") }
        }
        #expect(d.object["limits"] == ["cpu": "2", "memory": "1Gi"])
        #expect(d.object["extra"] == ["groups": ["a", "b"], "empty": []])
    }

    @Test func unknownNumbersOfEveryWireTypeAreSkipped() throws {
        let d = try WidgetSchema.decode { w in
            w.int(90, 7)
            w.double(91, 1.5)
            w.string(92, "ignored")
            w.tag(93, 5)
            w.bytes.append(contentsOf: [1, 2, 3, 4])
            w.string(16, "kept")
        }
        #expect(d.object["name"] == "kept")
        #expect(d.unknownFields == ["#90", "#91", "#92", "#93"])
    }

    @Test func intOrStringIntegerAndDurationForms() throws {
        let d = try WidgetSchema.decode { w in
            w.message(7) { p in p.int(1, 0); p.int(2, 8080) }
            w.message(10) { dur in dur.int(1, 90_500_000_000) }
        }
        #expect(d.object["port"] == 8080)
        #expect(d.object["every"] == "1m30.5s")
    }

    @Test func recursiveSchemaDepthIsBounded() throws {
        let node = Definition("io.example.v1.Node", fields: [Field("name", 1, .string()), Field("child", 2, .ref("io.example.v1.Node"))])
        let decoder = ProtobufRequestDecoder(schemas: SchemaCatalog([node]), resources: ResourceCatalog([]))
        func nested(_ levels: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            for _ in 0..<levels {
                var w = ProtobufTestWriter()
                w.bytes(2, bytes)
                bytes = w.bytes
            }
            return bytes
        }
        let (shallow, unknown) = try decoder.decodeMessage(nested(3), as: node)
        #expect(shallow == ["child": ["child": ["child": .emptyObject]]])
        #expect(unknown.isEmpty)
        let error = #expect(throws: FlotillaError.self) { try decoder.decodeMessage(nested(500), as: node) }
        #expect(error?.message.contains("deeper") == true)
    }

    @Test func invalidRawJSONIsBadRequest() throws {
        let error = #expect(throws: FlotillaError.self) {
            try WidgetSchema.decode { w in w.message(11) { a in a.string(1, "{nope") } }
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("payload") == true)
    }
}

@Suite("GoDuration")
struct GoDurationTests {
    @Test(arguments: [
        (Int64(0), "0s"), (1, "1ns"), (1_500, "1.5µs"), (500_000_000, "500ms"), (1_000_000_000, "1s"),
        (1_500_000_000, "1.5s"), (60_000_000_000, "1m0s"), (3_600_000_000_000, "1h0m0s"),
        (3_723_000_000_000, "1h2m3s"), (-90_000_000_000, "-1m30s"), (100_000, "100µs"),
    ])
    func formats(nanos: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanos) == text)
    }
}
