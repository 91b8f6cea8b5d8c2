import FlotillaCore
import Testing

/// A malformed ResourceQuota or LimitRange and the field its 422 must name.
struct MalformedPolicy: Sendable, CustomStringConvertible {
    var description: String
    var path: String
    var body: String
    var field: String
    var message: String
}

@Suite("ResourceQuota and LimitRange malformed input")
struct PolicyMalformedInputTests {
    static let quota = PolicyObjects.quotas
    static let range = PolicyObjects.limitRanges

    static func quotaBody(_ spec: String) -> String { #"{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":"# + spec + "}" }
    static func rangeBody(_ item: String) -> String { #"{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l"},"spec":{"limits":["# + item + "]}}" }

    static let cases: [MalformedPolicy] = [
        .init(description: "negative hard", path: quota, body: quotaBody(#"{"hard":{"pods":"-1"}}"#), field: "spec.hard[pods]", message: "must be greater than or equal to 0"),
        .init(description: "unparsable hard", path: quota, body: quotaBody(#"{"hard":{"cpu":"lots"}}"#), field: "spec.hard[cpu]", message: "quantities must match"),
        .init(description: "unknown resource", path: quota, body: quotaBody(#"{"hard":{"widgets":"1"}}"#), field: "spec.hard[widgets]", message: "must be a standard resource for quota"),
        .init(description: "unknown scope", path: quota, body: quotaBody(#"{"hard":{"pods":"1"},"scopes":["Sometimes"]}"#), field: "spec.scopes[0]", message: "Unsupported value"),
        .init(description: "BestEffort with cpu", path: quota, body: quotaBody(#"{"hard":{"cpu":"1"},"scopes":["BestEffort"]}"#), field: "spec.hard[cpu]", message: "unsupported scope applied to resource"),
        .init(description: "selector In without values", path: quota, body: quotaBody(#"{"hard":{"pods":"1"},"scopeSelector":{"matchExpressions":[{"scopeName":"PriorityClass","operator":"In"}]}}"#), field: "spec.scopeSelector.matchExpressions[0].values", message: "must be at least one value"),
        .init(description: "default above max", path: range, body: rangeBody(#"{"type":"Container","default":{"cpu":"2"},"max":{"cpu":"1"}}"#), field: "spec.limits[0].default[cpu]", message: "default value 2 is greater than max value 1"),
        .init(description: "min above max", path: range, body: rangeBody(#"{"type":"Container","min":{"memory":"2Gi"},"max":{"memory":"1Gi"}}"#), field: "spec.limits[0].min[memory]", message: "min value 2Gi is greater than max value 1Gi"),
        .init(description: "negative min", path: range, body: rangeBody(#"{"type":"Pod","min":{"cpu":"-1"}}"#), field: "spec.limits[0].min[cpu]", message: "must be greater than or equal to 0"),
        .init(description: "unknown type", path: range, body: rangeBody(#"{"type":"Node","max":{"cpu":"1"}}"#), field: "spec.limits[0].type", message: "Unsupported value"),
        .init(description: "bad container resource", path: range, body: rangeBody(#"{"type":"Container","max":{"gpus":"1"}}"#), field: "spec.limits[0].max[gpus]", message: "must be a standard resource for containers"),
        .init(description: "ratio below one", path: range, body: rangeBody(#"{"type":"Container","maxLimitRequestRatio":{"cpu":"500m"}}"#), field: "spec.limits[0].maxLimitRequestRatio[cpu]", message: "ratio 500m is less than 1"),
        .init(description: "default on a Pod item", path: range, body: rangeBody(#"{"type":"Pod","default":{"cpu":"1"}}"#), field: "spec.limits[0].default", message: "may not be specified"),
    ]

    @Test(arguments: cases)
    func refusedWithoutWriting(_ c: MalformedPolicy) async throws {
        try await TestServer.with { s in
            let before = try await s.revision()
            let reply = await s.send("POST", c.path, raw: c.body)
            #expect(reply.status == 422, "\(c.description): \(reply.text)")
            #expect(reply.json["reason"] == "Invalid")
            let causes = reply.json["details"]["causes"].array ?? []
            #expect(causes.contains { $0["field"].string == c.field && ($0["message"].string ?? "").contains(c.message) }, "\(c.description): \(reply.text)")
            #expect(try await s.revision() == before, "\(c.description) wrote to the store")
        }
    }

    @Test("a pod refused by admission writes nothing, not even a quota charge")
    func refusedPodWritesNothing() async throws {
        try await TestServer.with { s in
            try await s.createQuota("compute", hard: ["pods": "0"])
            let before = try await s.revision()
            let reply = await s.send("POST", Objects.pods, body: PolicyObjects.pod("p"))
            #expect(reply.status == 403)
            #expect(try await s.revision() == before)
        }
    }
}
