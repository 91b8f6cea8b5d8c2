import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

/// One bad request and the Status it must get.
struct MalformedCase: Sendable, CustomStringConvertible {
    var description: String
    var method: String
    var path: String
    var query: [(String, String)] = []
    var body: String?
    var contentType: String?
    var code: Int
    var reason: String
    /// A text the Status message must contain.
    var message: String
}

@Suite("REST malformed input")
struct RESTMalformedInputTests {
    static let cm = Objects.configMaps
    static let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}"#

    static let cases: [MalformedCase] = [
        .init(description: "malformed JSON", method: "POST", path: cm, body: #"{"metadata": {"name": "x"}"#, code: 400, reason: "BadRequest", message: "json parse error"),
        .init(description: "not an object", method: "POST", path: cm, body: "[1,2]", code: 400, reason: "BadRequest", message: "must be a JSON object"),
        .init(description: "empty body", method: "POST", path: cm, body: "", code: 400, reason: "BadRequest", message: "empty"),
        .init(description: "wrong kind", method: "POST", path: cm, body: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#, code: 400, reason: "BadRequest", message: "cannot be handled as a ConfigMap"),
        .init(description: "wrong apiVersion", method: "POST", path: cm, body: #"{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}"#, code: 400, reason: "BadRequest", message: "does not match the expected API version"),
        .init(description: "invalid name", method: "POST", path: cm, body: #"{"metadata":{"name":"Bad_Name"}}"#, code: 422, reason: "Invalid", message: "metadata.name: Invalid value: \"Bad_Name\""),
        .init(description: "missing name", method: "POST", path: cm, body: #"{"metadata":{}}"#, code: 422, reason: "Invalid", message: "name or generateName is required"),
        .init(description: "bad label", method: "POST", path: cm, body: #"{"metadata":{"name":"x","labels":{"a b":"c"}}}"#, code: 422, reason: "Invalid", message: "metadata.labels"),
        .init(description: "resourceVersion on create", method: "POST", path: cm, body: #"{"metadata":{"name":"x","resourceVersion":"5"}}"#, code: 400, reason: "BadRequest", message: "resourceVersion should not be set on objects to be created"),
        .init(description: "type mismatch", method: "POST", path: Objects.deployments, body: #"{"metadata":{"name":"d"},"spec":{"replicas":"three"}}"#, code: 400, reason: "BadRequest", message: "spec.replicas"),
        .init(description: "missing namespace", method: "POST", path: "/api/v1/namespaces/absent/configmaps", body: #"{"metadata":{"name":"x"}}"#, code: 404, reason: "NotFound", message: "namespaces \"absent\" not found"),
        .init(description: "unsupported media type", method: "POST", path: cm, body: "x", contentType: "text/plain", code: 415, reason: "UnsupportedMediaType", message: "unknown format"),
        .init(description: "bad label selector", method: "GET", path: cm, query: [("labelSelector", "a in (")], code: 400, reason: "BadRequest", message: ""),
        .init(description: "bad field selector", method: "GET", path: cm, query: [("fieldSelector", "spec.unknown=x")], code: 400, reason: "BadRequest", message: "field label not supported: spec.unknown"),
        .init(description: "bad limit", method: "GET", path: cm, query: [("limit", "ten")], code: 400, reason: "BadRequest", message: "limit"),
        .init(description: "unknown resource", method: "GET", path: "/api/v1/namespaces/default/widgets", code: 404, reason: "NotFound", message: "the server could not find the requested resource"),
        .init(description: "unknown group", method: "GET", path: "/apis/example.com/v1/things", code: 404, reason: "NotFound", message: "the server could not find the requested resource"),
        .init(description: "unsupported verb", method: "POST", path: cm + "/x", body: "{}", code: 405, reason: "MethodNotAllowed", message: "does not allow this method"),
        .init(description: "unknown subresource", method: "GET", path: cm + "/x/scale", code: 404, reason: "NotFound", message: "could not find"),
        .init(description: "get missing object", method: "GET", path: cm + "/nothing", code: 404, reason: "NotFound", message: "configmaps \"nothing\" not found"),
        .init(description: "update missing object", method: "PUT", path: cm + "/nothing", body: #"{"metadata":{"name":"nothing"}}"#, code: 404, reason: "NotFound", message: "not found"),
        .init(description: "update name mismatch", method: "PUT", path: cm + "/existing", body: #"{"metadata":{"name":"other"}}"#, code: 400, reason: "BadRequest", message: "does not match the name on the URL"),
        .init(description: "stale resourceVersion", method: "PUT", path: cm + "/existing", body: #"{"metadata":{"name":"existing","resourceVersion":"1"},"data":{"z":"1"}}"#, code: 409, reason: "Conflict", message: "the object has been modified"),
        .init(description: "unsupported patch type", method: "PATCH", path: cm + "/existing", body: "{}", contentType: "application/xml", code: 415, reason: "UnsupportedMediaType", message: "application/merge-patch+json"),
        .init(description: "malformed merge patch", method: "PATCH", path: cm + "/existing", body: "{nope", contentType: "application/merge-patch+json", code: 400, reason: "BadRequest", message: "json parse error"),
        .init(description: "JSON patch not a list", method: "PATCH", path: cm + "/existing", body: #"{"op":"add"}"#, contentType: "application/json-patch+json", code: 400, reason: "BadRequest", message: ""),
        .init(description: "JSON patch bad op", method: "PATCH", path: cm + "/existing", body: #"[{"op":"frobnicate","path":"/data"}]"#, contentType: "application/json-patch+json", code: 422, reason: "Invalid", message: ""),
        .init(description: "JSON patch missing path", method: "PATCH", path: cm + "/existing", body: #"[{"op":"replace","path":"/spec/nothing","value":1}]"#, contentType: "application/json-patch+json", code: 422, reason: "Invalid", message: ""),
        .init(description: "apply without fieldManager", method: "PATCH", path: cm + "/existing", body: #"{"metadata":{"name":"existing"}}"#, contentType: "application/apply-patch+yaml", code: 400, reason: "BadRequest", message: "fieldManager"),
        .init(description: "patch changing the name", method: "PATCH", path: cm + "/existing", body: #"{"metadata":{"name":"renamed"}}"#, contentType: "application/merge-patch+json", code: 400, reason: "BadRequest", message: "does not match the name"),
        .init(description: "bad dryRun", method: "POST", path: cm, query: [("dryRun", "Some")], body: #"{"metadata":{"name":"x"}}"#, code: 400, reason: "BadRequest", message: "dry run"),
        .init(description: "bad fieldValidation", method: "POST", path: cm, query: [("fieldValidation", "Loose")], body: #"{"metadata":{"name":"x"}}"#, code: 400, reason: "BadRequest", message: "fieldValidation"),
        .init(description: "bad propagationPolicy", method: "DELETE", path: cm + "/existing", body: #"{"propagationPolicy":"Sideways"}"#, code: 400, reason: "BadRequest", message: "propagationPolicy"),
        .init(description: "delete missing", method: "DELETE", path: cm + "/nothing", code: 404, reason: "NotFound", message: "configmaps \"nothing\" not found"),
        .init(description: "resourceVersionMatch without resourceVersion", method: "GET", path: cm, query: [("resourceVersionMatch", "Exact")], code: 400, reason: "BadRequest", message: "resourceVersionMatch"),
        .init(description: "negative scale", method: "PUT", path: Objects.deployments + "/d/scale", body: #"{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"d"},"spec":{"replicas":-2}}"#, code: 422, reason: "Invalid", message: "spec.replicas"),
        .init(description: "binding without target", method: "POST", path: Objects.pods + "/p/binding", body: #"{"metadata":{"name":"p"},"target":{}}"#, code: 422, reason: "Invalid", message: "target.name"),
        .init(description: "YAML that is not YAML", method: "POST", path: cm, body: "metadata: [unclosed", contentType: "application/yaml", code: 400, reason: "BadRequest", message: ""),
    ]

    @Test(arguments: cases)
    func rejectedWithoutWriting(_ c: MalformedCase) async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.cm, body: Objects.configMap("existing"))
            _ = await s.send("POST", Objects.deployments, raw: Self.deployment)
            _ = await s.send("POST", Objects.pods, body: Objects.pod("p"))
            let before = try await s.revision()
            let reply = await s.send(c.method, c.path, query: c.query, raw: c.body, contentType: c.contentType)
            #expect(reply.status == c.code, "\(c.description): \(reply.text)")
            #expect(reply.json["kind"] == "Status")
            #expect(reply.json["status"] == "Failure")
            #expect(reply.json["code"].int == Int64(c.code))
            #expect(reply.json["reason"].string == c.reason, "\(c.description): \(reply.text)")
            if !c.message.isEmpty {
                #expect((reply.json["message"].string ?? "").contains(c.message), "\(c.description): \(reply.text)")
            }
            #expect(try await s.revision() == before, "\(c.description) wrote to the store")
        }
    }
}
