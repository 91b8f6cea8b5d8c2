import FlotillaCore
import Testing

@Suite("LimitRange admission")
struct LimitRangeAdmissionTests {
    static let containerLimits: JSON = [
        "type": "Container",
        "default": ["cpu": "500m", "memory": "256Mi"], "defaultRequest": ["cpu": "100m", "memory": "128Mi"],
        "min": ["cpu": "50m"], "max": ["cpu": "1", "memory": "1Gi"],
    ]

    @Test("containers get the default limits and requests, recorded in the annotation; QoS follows")
    func defaults() async throws {
        try await TestServer.with { s in
            #expect(await s.send("POST", PolicyObjects.limitRanges, body: PolicyObjects.limitRange("limits", [Self.containerLimits])).status == 201)
            let created = await s.send("POST", Objects.pods, body: PolicyObjects.pod("web"))
            #expect(created.status == 201)
            let resources = created.json["spec"]["containers"][0]["resources"]
            #expect(resources["limits"] == ["cpu": "500m", "memory": "256Mi"])
            #expect(resources["requests"] == ["cpu": "100m", "memory": "128Mi"])
            #expect(created.json["status"]["qosClass"] == "Burstable")
            #expect(
                created.json["metadata"]["annotations"]["kubernetes.io/limit-ranger"]
                    == "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app")
            // A limit given without a request makes the request equal to it, not the default request.
            let limited = await s.send("POST", Objects.pods, body: PolicyObjects.pod("limited", limits: ["cpu": "300m"]))
            #expect(limited.json["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "300m")
        }
    }

    @Test("min, max and ratio violations are refused together in Kubernetes' words and nothing is written")
    func violations() async throws {
        try await TestServer.with { s in
            var ratio = Self.containerLimits
            ratio["maxLimitRequestRatio"] = ["memory": "2"]
            #expect(await s.send("POST", PolicyObjects.limitRanges, body: PolicyObjects.limitRange("limits", [ratio])).status == 201)
            let refused = await s.send(
                "POST", Objects.pods, body: PolicyObjects.pod("web", requests: ["cpu": "20m", "memory": "100Mi"], limits: ["memory": "2Gi"]))
            #expect(refused.status == 403)
            #expect(
                refused.json["message"].string
                    == "pods \"web\" is forbidden: [minimum cpu usage per Container is 50m, but request is 20m, maximum memory usage per Container is 1Gi, but limit is 2Gi, memory max limit to request ratio per Container is 2, but provided ratio is 20.480000]"
            )
            #expect(await s.send("GET", Objects.pods + "/web").status == 404)
        }
    }

    @Test("a Pod item bounds the sum of the containers; a claim item bounds the storage request")
    func podAndClaim() async throws {
        try await TestServer.with { s in
            let items: [JSON] = [["type": "Pod", "max": ["cpu": "1"]], ["type": "PersistentVolumeClaim", "min": ["storage": "1Gi"], "max": ["storage": "5Gi"]]]
            #expect(await s.send("POST", PolicyObjects.limitRanges, body: PolicyObjects.limitRange("limits", items)).status == 201)
            var pod = PolicyObjects.pod("pair", requests: ["cpu": "600m"], limits: ["cpu": "600m"])
            pod[path: ["spec", "containers"]] = .array([pod["spec"]["containers"][0], pod["spec"]["containers"][0].with(name: "second")])
            let refused = await s.send("POST", Objects.pods, body: pod)
            #expect(refused.json["message"].string == "pods \"pair\" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m")
            let small = await s.send("POST", PolicyObjects.claims, body: PolicyObjects.claim("small", storage: "500Mi"))
            #expect(small.status == 403)
            #expect(
                small.json["message"].string
                    == "persistentvolumeclaims \"small\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi")
            #expect(await s.send("POST", PolicyObjects.claims, body: PolicyObjects.claim("fine", storage: "2Gi")).status == 201)
        }
    }

    @Test("defaults apply before quota: a defaulted pod is charged its default requests")
    func defaultsBeforeQuota() async throws {
        try await TestServer.with { s in
            #expect(await s.send("POST", PolicyObjects.limitRanges, body: PolicyObjects.limitRange("limits", [Self.containerLimits])).status == 201)
            try await s.createQuota("compute", hard: ["limits.cpu": "2", "requests.cpu": "1"])
            #expect(await s.send("POST", Objects.pods, body: PolicyObjects.pod("web")).status == 201)
            #expect(await s.quotaUsed("compute") == ["limits.cpu": "500m", "requests.cpu": "100m"])
        }
    }
}

extension JSON {
    /// A container with another name.
    fileprivate func with(name: String) -> JSON {
        var copy = self
        copy["name"] = .string(name)
        return copy
    }
}
