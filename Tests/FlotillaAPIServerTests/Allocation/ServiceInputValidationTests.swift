import FlotillaAPI
import FlotillaCore
@testable import FlotillaAPIServer
import Testing

@Suite("Malformed services are refused with the field named")
struct ServiceInputValidationTests {
    static let cases: [(String, JSON, [String])] = [
        ("headless node port", ServiceObjects.service("a", type: "NodePort", clusterIP: "None"), ["spec.clusterIPs[0]"]),
        ("two cluster IPs", ServiceObjects.service("a", spec: ["clusterIPs": ["10.96.1.1", "10.96.1.2"]]), ["spec.clusterIPs"]),
        ("cluster IPs not matching", ServiceObjects.service("a", clusterIP: "10.96.1.1", spec: ["clusterIPs": ["10.96.1.2"]]), ["spec.clusterIPs"]),
        ("not an address", ServiceObjects.service("a", clusterIP: "10.96.1"), ["spec.clusterIPs[0]"]),
        ("IPv6 family", ServiceObjects.service("a", spec: ["ipFamilies": ["IPv6"]]), ["spec.ipFamilies[0]"]),
        ("dual stack required", ServiceObjects.service("a", spec: ["ipFamilyPolicy": "RequireDualStack"]), ["spec.ipFamilyPolicy"]),
        ("external policy on ClusterIP", ServiceObjects.service("a", spec: ["externalTrafficPolicy": "Local"]), ["spec.externalTrafficPolicy"]),
        ("LB node ports on NodePort", ServiceObjects.service("a", type: "NodePort", spec: ["allocateLoadBalancerNodePorts": false]),
         ["spec.allocateLoadBalancerNodePorts"]),
        ("bad external IP", ServiceObjects.service("a", spec: ["externalIPs": ["1.2.3.999"]]), ["spec.externalIPs[0]"]),
        ("affinity timeout 0", ServiceObjects.service("a", spec: ["sessionAffinity": "ClientIP", "sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 0]]]),
         ["spec.sessionAffinityConfig.clientIP.timeoutSeconds"]),
        ("affinity config without ClientIP", ServiceObjects.service("a", spec: ["sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 10]]]),
         ["spec.sessionAffinityConfig"]),
        ("duplicate node port", ServiceObjects.service("a", type: "NodePort", ports: [(80, 30001), (81, 30001)]), ["spec.ports[1].nodePort"]),
        ("node port on ClusterIP", ServiceObjects.service("a", ports: [(80, 30001)]), ["spec.ports[0].nodePort"]),
        ("unnamed ports", ServiceObjects.service("a", spec: ["ports": [["port": 80], ["port": 81]]]), ["spec.ports[0].name", "spec.ports[1].name"]),
        ("port 0", ServiceObjects.service("a", ports: [(0, nil)]), ["spec.ports[0].port", "spec.ports[0].targetPort"]),
        ("bad target port", ServiceObjects.service("a", spec: ["ports": [["port": 80, "targetPort": "Not_A_Name"]]]), ["spec.ports[0].targetPort"]),
        ("ExternalName without name", ServiceObjects.service("a", type: "ExternalName", ports: []), ["spec.externalName"]),
        ("ExternalName bad name", ServiceObjects.service("a", type: "ExternalName", ports: [], spec: ["externalName": "bad_name!"]), ["spec.externalName"]),
        ("unknown type", ServiceObjects.service("a", type: "Magic"), ["spec.type"]),
    ]

    @Test(arguments: 0..<cases.count)
    func refused(_ index: Int) async throws {
        let (label, body, fields) = Self.cases[index]
        try await TestServer.with { s in
            let reply = await s.send("POST", ServiceObjects.services, body: body)
            #expect(reply.status == 422, "\(label): \(reply.text)")
            #expect(reply.causeFields == fields, "\(label)")
            #expect(await s.send("GET", ServiceObjects.services + "/a").status == 404)
            #expect(await s.heldIPs().isEmpty, "\(label)")
            #expect(await s.heldNodePorts().isEmpty, "\(label)")
        }
    }

    @Test func defaultsFillWhatIsMissing() async throws {
        try await TestServer.with { s in
            let svc = ServiceObjects.service("a", spec: ["sessionAffinity": "ClientIP"])
            let reply = await s.send("POST", ServiceObjects.services, body: svc)
            #expect(reply.status == 201)
            let spec = reply.json["spec"]
            #expect(spec["type"] == "ClusterIP")
            #expect(spec["ports"][0]["protocol"] == "TCP")
            #expect(spec["ports"][0]["targetPort"] == 80)
            #expect(spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"] == 10800)
            #expect(spec["internalTrafficPolicy"] == "Cluster")
            #expect(spec["externalTrafficPolicy"].isNull)
        }
    }
}
