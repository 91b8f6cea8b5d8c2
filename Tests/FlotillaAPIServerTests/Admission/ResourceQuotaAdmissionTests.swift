import FlotillaCore
import Testing

@Suite("ResourceQuota admission")
struct ResourceQuotaAdmissionTests {
    @Test("pods beyond the quota are refused with Kubernetes' message and not written; the usage is charged")
    func podsBeyondQuota() async throws {
        try await TestServer.with { s in
            try await s.createQuota("compute", hard: ["pods": "2", "requests.cpu": "1"])
            for name in ["web-1", "web-2"] {
                let created = await s.send("POST", Objects.pods, body: PolicyObjects.pod(name, requests: ["cpu": "200m"]))
                #expect(created.status == 201)
            }
            #expect(await s.quotaUsed("compute") == ["pods": "2", "requests.cpu": "400m"])
            let refused = await s.send("POST", Objects.pods, body: PolicyObjects.pod("web-3", requests: ["cpu": "200m"]))
            #expect(refused.status == 403)
            #expect(refused.json["reason"] == "Forbidden")
            #expect(
                refused.json["message"].string
                    == "pods \"web-3\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2")
            #expect(await s.send("GET", Objects.pods + "/web-3").status == 404)
            #expect(await s.quotaUsed("compute") == ["pods": "2", "requests.cpu": "400m"])
        }
    }

    @Test("a pod without the limits a quota tracks is refused naming the containers")
    func mustSpecifyLimits() async throws {
        try await TestServer.with { s in
            try await s.createQuota("compute", hard: ["limits.cpu": "2", "limits.memory": "1Gi"])
            let refused = await s.send("POST", Objects.pods, body: PolicyObjects.pod("x", requests: ["cpu": "100m"]))
            #expect(refused.status == 403)
            #expect(refused.json["message"].string == "pods \"x\" is forbidden: failed quota: compute: must specify limits.cpu for: app; limits.memory for: app")
        }
    }

    @Test("several resources over at once are listed in name order")
    func severalExceeded() async throws {
        try await TestServer.with { s in
            try await s.createQuota("compute", hard: ["requests.cpu": "1", "requests.memory": "1Gi"], used: ["requests.cpu": "800m"])
            let refused = await s.send("POST", Objects.pods, body: PolicyObjects.pod("big", requests: ["cpu": "500m", "memory": "2Gi"]))
            #expect(
                refused.json["message"].string
                    == "pods \"big\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m,requests.memory=2Gi, used: requests.cpu=800m,requests.memory=0, limited: requests.cpu=1,requests.memory=1Gi"
            )
        }
    }

    @Test("object counts: count/deployments.apps, configmaps and services.nodeports")
    func objectCounts() async throws {
        try await TestServer.with { s in
            try await s.createQuota("objects", hard: ["count/deployments.apps": "1", "configmaps": "1", "services.nodeports": "1"])
            #expect(await s.send("POST", Objects.deployments, body: Objects.deployment("a")).status == 201)
            let second = await s.send("POST", Objects.deployments, body: Objects.deployment("b"))
            #expect(second.status == 403)
            #expect(
                second.json["message"].string
                    == "deployments.apps \"b\" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1"
            )
            #expect(await s.send("POST", Objects.configMaps, body: Objects.configMap("one")).status == 201)
            #expect(await s.send("POST", Objects.configMaps, body: Objects.configMap("two")).status == 403)
            let service: JSON = [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "np"],
                "spec": ["type": "NodePort", "ports": [["port": 80, "name": "a"], ["port": 81, "name": "b"]]],
            ]
            let refused = await s.send("POST", "/api/v1/namespaces/default/services", body: service)
            #expect(refused.json["message"].string?.contains("requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1") == true)
        }
    }

    @Test("scopes: a BestEffort quota counts only pods without requests or limits")
    func scopes() async throws {
        try await TestServer.with { s in
            try await s.createQuota("besteffort", hard: ["pods": "1"], scopes: ["BestEffort"])
            #expect(await s.send("POST", Objects.pods, body: PolicyObjects.pod("a")).status == 201)
            #expect(await s.send("POST", Objects.pods, body: PolicyObjects.pod("b")).status == 403)
            #expect(await s.send("POST", Objects.pods, body: PolicyObjects.pod("c", requests: ["cpu": "100m"])).status == 201)
        }
    }

    @Test("concurrent creates never pass the limit together")
    func concurrentCreates() async throws {
        try await TestServer.with { s in
            try await s.createQuota("pods", hard: ["pods": "3"])
            let statuses = await withTaskGroup(of: Int.self) { group in
                for i in 0..<12 { group.addTask { await s.send("POST", Objects.pods, body: PolicyObjects.pod("p\(i)")).status } }
                return await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 3)
            #expect(statuses.filter { $0 == 403 }.count == 9)
            #expect(await s.quotaUsed("pods") == ["pods": "3"])
        }
    }

    @Test("a dry run is checked but charges nothing; a quota without status does not hold writes back")
    func dryRunAndUnsynced() async throws {
        try await TestServer.with { s in
            try await s.createQuota("pods", hard: ["pods": "1"])
            let dry = await s.send("POST", Objects.pods, query: [("dryRun", "All")], body: PolicyObjects.pod("d"))
            #expect(dry.status == 201)
            #expect(await s.quotaUsed("pods") == ["pods": "0"])
            let unsynced = await s.send("POST", PolicyObjects.quotas, body: PolicyObjects.quota("fresh", hard: ["configmaps": "0"]))
            #expect(unsynced.status == 201)
            #expect(await s.send("POST", Objects.configMaps, body: Objects.configMap("c")).status == 201)
        }
    }

    @Test("a quota whose usage of a tracked resource is unknown refuses writes that add to it")
    func unknownUsage() async throws {
        try await TestServer.with { s in
            #expect(await s.send("POST", PolicyObjects.quotas, body: PolicyObjects.quota("q", hard: ["pods": "1"])).status == 201)
            let status: JSON = ["status": ["hard": ["pods": "1"]]]
            #expect(await s.send("PATCH", PolicyObjects.quotas + "/q/status", body: status, contentType: "application/merge-patch+json").status == 200)
            let refused = await s.send("POST", Objects.pods, body: PolicyObjects.pod("p"))
            #expect(refused.status == 403)
            #expect(refused.json["message"].string == "pods \"p\" is forbidden: status unknown for quota: q, resources: pods")
        }
    }

    @Test("an update that adds node ports is charged")
    func serviceUpdate() async throws {
        try await TestServer.with { s in
            try await s.createQuota("ports", hard: ["services.nodeports": "0"])
            let service: JSON = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"], "spec": ["ports": [["port": 80]]]]
            #expect(await s.send("POST", "/api/v1/namespaces/default/services", body: service).status == 201)
            let patched = await s.send(
                "PATCH", "/api/v1/namespaces/default/services/web", body: ["spec": ["type": "NodePort"]],
                contentType: "application/merge-patch+json")
            #expect(patched.status == 403)
            #expect(await s.send("GET", "/api/v1/namespaces/default/services/web").json["spec"]["type"] == "ClusterIP")
        }
    }
}
