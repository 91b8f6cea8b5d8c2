import FlotillaAPI
import FlotillaCore
import Foundation
import Testing

/// The same JSON with every object's members in name order, so that expectations need not
/// follow the schema's field order.
func canonicalJSON(_ value: JSON) -> JSON {
    switch value {
    case .object(let members):
        var sorted = JSONObject()
        for (k, v) in members.sorted(by: { $0.key < $1.key }) { sorted[k] = canonicalJSON(v) }
        return .object(sorted)
    case .array(let items):
        return .array(items.map(canonicalJSON))
    default:
        return value
    }
}

/// A definition with one field of each presence, and a parent that embeds a handler message.
private enum PresenceSchema {
    static let gadget = Definition(
        "io.example.v1.Gadget", gvk: [GroupVersionKind("example.io", "v1", "Gadget")],
        fields: [
            Field("replicas", 1, .int32, presence: .pointer), Field("enabled", 2, .boolean, presence: .pointer),
            Field("className", 3, .string(), presence: .pointer), Field("ratio", 4, .number, presence: .pointer),
            Field("port", 5, .int32, required: true), Field("label", 6, .string(), presence: .alwaysSerialized),
            Field("paused", 7, .boolean), Field("minReady", 8, .int64), Field("note", 9, .string()),
            Field("share", 10, .number), Field("probe", 11, .ref("io.example.v1.Probe")),
        ])
    /// Go: `type Probe struct { Handler `json:",inline"`; Period int32 }`.
    static let probe = Definition(
        "io.example.v1.Probe",
        fields: [
            Field("command", 0, .array(.string())), Field("path", 0, .string()), Field("period", 2, .int32),
        ])
    static let handler = Definition(
        "io.example.v1.Handler", fields: [Field("command", 1, .array(.string())), Field("path", 2, .string())])

    static let decoder = ProtobufRequestDecoder(
        schemas: SchemaCatalog(
            [gadget, probe, handler],
            embeddedMessages: ["io.example.v1.Probe": [EmbeddedMessage(number: 1, definition: "io.example.v1.Handler")]]),
        resources: ResourceCatalog([]))

    static func decode(_ build: (inout ProtobufTestWriter) -> Void) throws -> ProtobufRequestDecoder.Decoded {
        var w = ProtobufTestWriter()
        build(&w)
        return try decoder.decode(ProtobufTestWriter.body(apiVersion: "example.io/v1", kind: "Gadget", raw: w.bytes))
    }
}

@Suite("ProtobufRequestDecoder: zero values by presence and inlined messages")
struct ProtobufPresenceTests {
    @Test func presenceDefaultsFollowRequired() {
        #expect(Field("a", 1, .int32).presence == .omittedWhenZero)
        #expect(Field("a", 1, .int32, required: true).presence == .alwaysSerialized)
        #expect(Field("a", 1, .int32, required: true, presence: .pointer).presence == .pointer)
        #expect(!Field("a", 1, .boolean).keepsZeroValue)
        #expect(Field("a", 1, .boolean, presence: .pointer).keepsZeroValue)
    }

    @Test func zerosOfPointerAndAlwaysSerializedFieldsAreKeptOthersDropped() throws {
        let d = try PresenceSchema.decode { w in
            w.int(1, 0)
            w.int(2, 0)
            w.string(3, "")
            w.double(4, 0)
            w.int(5, 0)
            w.string(6, "")
            w.int(7, 0)
            w.int(8, 0)
            w.string(9, "")
            w.double(10, 0)
        }
        #expect(
            d.object == [
                "apiVersion": "example.io/v1", "kind": "Gadget", "replicas": 0, "enabled": false, "className": "",
                "ratio": .double(0), "port": 0, "label": "",
            ])
    }

    @Test func nonZeroValuesAreKeptWhateverThePresence() throws {
        let d = try PresenceSchema.decode { w in
            w.int(1, 3)
            w.int(7, 1)
            w.int(8, -2)
            w.string(9, "n")
            w.double(10, 0.5)
        }
        #expect(d.object["replicas"] == 3)
        #expect(d.object["paused"] == true)
        #expect(d.object["minReady"] == -2)
        #expect(d.object["note"] == "n")
        #expect(d.object["share"] == .double(0.5))
    }

    @Test func absentPointerFieldsStayAbsent() throws {
        let d = try PresenceSchema.decode { w in w.int(5, 80) }
        #expect(d.object == ["apiVersion": "example.io/v1", "kind": "Gadget", "port": 80])
    }

    @Test func embeddedMessageMembersAreInlined() throws {
        let d = try PresenceSchema.decode { w in
            w.message(11) { probe in
                probe.message(1) { handler in
                    handler.string(1, "cat")
                    handler.string(1, "/ready")
                }
                probe.int(2, 5)
                // A second occurrence of the embedded message merges into the first.
                probe.message(1) { handler in handler.string(2, "/healthz") }
            }
        }
        #expect(d.unknownFields.isEmpty)
        #expect(d.object["probe"] == ["command": ["cat", "/ready"], "path": "/healthz", "period": 5])
    }

    @Test func embeddedMessageOfUnknownDefinitionIsReported() throws {
        let decoder = ProtobufRequestDecoder(
            schemas: SchemaCatalog(
                [PresenceSchema.probe],
                embeddedMessages: ["io.example.v1.Probe": [EmbeddedMessage(number: 1, definition: "io.example.v1.Missing")]]),
            resources: ResourceCatalog([]))
        var w = ProtobufTestWriter()
        w.message(1) { h in h.string(2, "/x") }
        w.int(2, 7)
        let (object, unknown) = try decoder.decodeMessage(w.bytes, as: PresenceSchema.probe)
        #expect(object == ["period": 7])
        #expect(unknown == ["#<io.example.v1.Missing>"])
    }

    @Test func malformedEmbeddedMessageNamesTheParentPath() throws {
        let error = #expect(throws: FlotillaError.self) {
            try PresenceSchema.decode { w in
                w.message(11) { probe in probe.int(1, 4) }  // the handler as a varint
            }
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("probe") == true)
    }
}

/// Bodies shaped as kubectl's typed clients write them, decoded with the built-in schemas.
@Suite("ProtobufRequestDecoder with the built-in schemas: Kubernetes' stored JSON")
struct ProtobufStoredJSONTests {
    let decoder = ProtobufRequestDecoder()

    func decode(_ base64: String) throws -> JSON {
        try decoder.decode(CapturedKubectlBodies.bytes(base64)).object
    }

    @Test func deploymentHasNoGoZeroValues() throws {
        let expected = try JSONParser.parse(
            #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"d"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},
                     "template":{"metadata":{"labels":{"app":"d"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                     "strategy":{}},
             "status":{}}
            """#)
        #expect(canonicalJSON(try decode(CapturedKubectlBodies.deployment)) == canonicalJSON(expected))
    }

    @Test func zeroReplicasAndContainerPortAreKept() throws {
        let o = try decode(CapturedKubectlBodies.deploymentWithZeroReplicas)
        #expect(o[path: ["spec", "replicas"]] == 0)
        #expect(o[path: ["spec", "template", "spec", "containers"]][0]["ports"] == [["containerPort": 8080]])
        #expect(o[path: ["spec", "paused"]].isNull)
        #expect(o[path: ["spec", "template", "metadata", "generation"]].isNull)
    }

    @Test func jobAndCronJobDropZerosOfNonPointerFields() throws {
        let job = try decode(CapturedKubectlBodies.job)
        let container = job[path: ["spec", "template", "spec", "containers"]][0]
        #expect(container == ["name": "j", "image": "busybox", "resources": .emptyObject])
        let cron = try decode(CapturedKubectlBodies.cronJob)
        #expect(cron["spec"]["schedule"] == "*/5 * * * *")
        #expect(cron["spec"]["concurrencyPolicy"].isNull)
    }

    @Test func serviceKeepsPortDropsZeroNodePort() throws {
        let o = try decode(CapturedKubectlBodies.service)
        #expect(o[path: ["spec", "ports"]] == [["name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080]])
        #expect(o[path: ["spec", "publishNotReadyAddresses"]].isNull)
    }

    @Test func priorityClassAndRBACKeepAlwaysSerializedFields() throws {
        let pc = try decode(CapturedKubectlBodies.priorityClass)
        #expect(pc["value"] == 1000)
        #expect(pc["globalDefault"].isNull)
        let binding = try decode(CapturedKubectlBodies.roleBinding)
        // Subject.apiGroup is omitempty; a service account subject has none.
        #expect(binding["subjects"][1]["apiGroup"].isNull)
    }

    /// A pod with a probe, volumes and an env source: the embedded handler, volume source and
    /// object reference members land in their parents, and pointer zeros survive.
    @Test func podWithProbesAndVolumes() throws {
        var raw = ProtobufTestWriter()
        raw.message(1) { meta in meta.string(1, "p"); meta.int(7, 0) }
        raw.message(2) { spec in
            spec.message(1) { volume in
                volume.string(1, "cfg")
                volume.message(2) { source in
                    source.message(19) { cm in
                        cm.message(1) { ref in ref.string(1, "settings") }
                        cm.int(3, 420)
                        cm.int(4, 0)
                    }
                }
            }
            spec.message(1) { volume in
                volume.string(1, "scratch")
                volume.message(2) { source in source.message(2) { dir in dir.string(1, "") } }
            }
            spec.message(2) { c in
                c.string(1, "app")
                c.string(2, "busybox")
                c.message(10) { probe in
                    probe.message(1) { handler in
                        handler.message(2) { get in
                            get.string(1, "/healthz")
                            get.message(2) { port in port.int(1, 0); port.int(2, 8080); port.string(3, "") }
                            get.string(3, "")
                            get.string(4, "HTTP")
                        }
                    }
                    probe.int(2, 0)
                    probe.int(4, 10)
                }
                c.message(11) { probe in
                    probe.message(1) { handler in handler.message(1) { exec in exec.string(1, "cat"); exec.string(1, "/tmp/ready") } }
                }
                c.message(19) { from in
                    from.string(1, "")
                    from.message(2) { ref in ref.message(1) { local in local.string(1, "env") } }
                }
                c.int(16, 0)
                c.int(18, 0)
            }
            spec.int(4, 0)
            spec.int(12, 0)
            spec.int(21, 0)
            spec.int(30, 0)
        }
        let d = try decoder.decode(ProtobufTestWriter.body(apiVersion: "v1", kind: "Pod", raw: raw.bytes))
        #expect(d.unknownFields.isEmpty)
        let expected = try JSONParser.parse(
            #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
             "spec":{"volumes":[{"name":"cfg","configMap":{"name":"settings","defaultMode":420,"optional":false}},
                                {"name":"scratch","emptyDir":{}}],
                     "containers":[{"name":"app","image":"busybox","envFrom":[{"configMapRef":{"name":"env"}}],
                                    "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"periodSeconds":10},
                                    "readinessProbe":{"exec":{"command":["cat","/tmp/ready"]}}}],
                     "terminationGracePeriodSeconds":0,"automountServiceAccountToken":false,"enableServiceLinks":false}}
            """#)
        #expect(canonicalJSON(d.object) == canonicalJSON(expected))
        // Inlined members keep the parent's field order.
        let probe = try #require(d.object[path: ["spec", "containers"]][0]["livenessProbe"].object)
        #expect(Array(probe.keys) == ["httpGet", "periodSeconds"])
    }

    @Test func jobKeepsExplicitZeroBackoffAndFalseSuspend() throws {
        var raw = ProtobufTestWriter()
        raw.message(1) { meta in meta.string(1, "j") }
        raw.message(2) { spec in
            spec.int(7, 0)  // backoffLimit
            spec.int(10, 0)  // suspend
            spec.int(1, 0)  // parallelism
        }
        let o = try decoder.decode(ProtobufTestWriter.body(apiVersion: "batch/v1", kind: "Job", raw: raw.bytes)).object
        #expect(o["spec"]["backoffLimit"] == 0)
        #expect(o["spec"]["suspend"] == false)
        #expect(o["spec"]["parallelism"] == 0)
    }
}
