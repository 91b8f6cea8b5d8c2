import FlotillaCore

/// Objects and paths the admission tests write.
enum PolicyObjects {
    static let quotas = "/api/v1/namespaces/default/resourcequotas"
    static let limitRanges = "/api/v1/namespaces/default/limitranges"
    static let claims = "/api/v1/namespaces/default/persistentvolumeclaims"

    static func quota(_ name: String, hard: JSONObject, scopes: [String] = []) -> JSON {
        var spec: JSONObject = ["hard": .object(hard)]
        if !scopes.isEmpty { spec["scopes"] = .array(scopes.map { .string($0) }) }
        return ["apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": .string(name)], "spec": .object(spec)]
    }

    static func limitRange(_ name: String, _ items: [JSON]) -> JSON {
        ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": .string(name)], "spec": ["limits": .array(items)]]
    }

    /// A pod whose one container `app` has the given requests and limits.
    static func pod(_ name: String, requests: JSONObject = [:], limits: JSONObject = [:]) -> JSON {
        var resources: JSONObject = [:]
        if !requests.isEmpty { resources["requests"] = .object(requests) }
        if !limits.isEmpty { resources["limits"] = .object(limits) }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": ["containers": [["name": "app", "image": "busybox:1.36", "resources": .object(resources)]]],
        ]
    }

    static func claim(_ name: String, storage: String) -> JSON {
        [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)],
            "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": .string(storage)]]],
        ]
    }
}

extension TestServer {
    /// Creates a quota and fills its status as the quota controller would (hard = spec, used =
    /// `used`, zero for the rest), so that admission enforces it.
    func createQuota(_ name: String, hard: JSONObject, used: JSONObject = [:], scopes: [String] = []) async throws {
        let created = await send("POST", PolicyObjects.quotas, body: PolicyObjects.quota(name, hard: hard, scopes: scopes))
        guard created.status == 201 else { throw FlotillaError(.internalError, "quota not created: \(created.text)") }
        var usedAll = JSONObject(uniqueKeysWithValues: hard.keys.map { ($0, JSON.string("0")) })
        for (key, value) in used { usedAll[key] = value }
        let status: JSON = ["status": ["hard": .object(hard), "used": .object(usedAll)]]
        let patched = await send(
            "PATCH", PolicyObjects.quotas + "/" + name + "/status", body: status, contentType: "application/merge-patch+json")
        guard patched.status == 200 else { throw FlotillaError(.internalError, "quota status not written: \(patched.text)") }
    }

    /// The `status.used` of a quota.
    func quotaUsed(_ name: String) async -> JSON {
        await send("GET", PolicyObjects.quotas + "/" + name).json["status"]["used"]
    }
}
