import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

@Suite("ServiceAccount admission")
struct ServiceAccountAdmissionTests {
    static let mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    static let accounts = "/api/v1/namespaces/default/serviceaccounts"

    private func pod(_ name: String, spec extra: JSONObject = [:], initContainers: [JSON] = []) -> JSON {
        var pod = Objects.pod(name)
        for (key, value) in extra { pod["spec"][key] = value }
        if !initContainers.isEmpty { pod["spec"]["initContainers"] = .array(initContainers) }
        return pod
    }

    @Test func aPodRunsAsDefaultWithTheAccountsCredentialsInEveryContainer() async throws {
        try await TestServer.with { s in
            let reply = await s.send("POST", Objects.pods, body: pod("web", initContainers: [["name": "setup", "image": "busybox:1.36"]]))
            #expect(reply.status == 201, "\(reply.text)")
            let spec = reply.json["spec"]
            #expect(spec["serviceAccountName"] == "default")
            #expect(spec["serviceAccount"] == "default")
            let volume = try #require(spec["volumes"].array?.first)
            let name = try #require(volume["name"].string)
            #expect(name.hasPrefix("kube-api-access-") && name.count == "kube-api-access-".count + 5)
            let expected: JSON = [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
            ]
            #expect(volume["projected"].isEquivalent(to: expected), "\(volume)")
            let mount: JSON = ["name": .string(name), "readOnly": true, "mountPath": .string(Self.mountPath)]
            #expect(spec["containers"][0]["volumeMounts"].isEquivalent(to: [mount]))
            #expect(spec["initContainers"][0]["volumeMounts"].isEquivalent(to: [mount]))
        }
    }

    @Test func automountOffOnThePodOrItsAccountMountsNothing() async throws {
        try await TestServer.with { s in
            let off = await s.send("POST", Objects.pods, body: pod("off", spec: ["automountServiceAccountToken": false]))
            #expect(off.status == 201)
            #expect(off.json["spec"]["volumes"].isNull)
            #expect(off.json["spec"]["containers"][0]["volumeMounts"].isNull)

            _ = await s.send("POST", Self.accounts, body: ["metadata": ["name": "quiet"], "automountServiceAccountToken": false])
            let quiet = await s.send("POST", Objects.pods, body: pod("quiet", spec: ["serviceAccountName": "quiet"]))
            #expect(quiet.status == 201)
            #expect(quiet.json["spec"]["serviceAccountName"] == "quiet")
            #expect(quiet.json["spec"]["volumes"].isNull)
            // The pod's own word wins over its account's.
            let loud = await s.send("POST", Objects.pods, body: pod("loud", spec: ["serviceAccountName": "quiet", "automountServiceAccountToken": true]))
            #expect(loud.json["spec"]["volumes"].array?.count == 1)
        }
    }

    @Test func aContainerThatMountsThePathItselfKeepsItsOwn() async throws {
        try await TestServer.with { s in
            var own = pod("own", spec: ["volumes": [["name": "mine", "emptyDir": [:]]]])
            own["spec"]["containers"] = [
                ["name": "a", "image": "busybox:1.36", "volumeMounts": [["name": "mine", "mountPath": .string(Self.mountPath)]]],
                ["name": "b", "image": "busybox:1.36"],
            ]
            let reply = await s.send("POST", Objects.pods, body: own)
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply.json["spec"]["volumes"].array?.count == 2)
            #expect(reply.json["spec"]["containers"][0]["volumeMounts"].array?.map { $0["name"] } == ["mine"])
            #expect(reply.json["spec"]["containers"][1]["volumeMounts"][0]["mountPath"].string == Self.mountPath)
        }
    }

    @Test func aPodOfAMissingAccountIsRefusedAndNothingIsWritten() async throws {
        try await TestServer.with { s in
            let before = try await s.revision()
            let reply = await s.send("POST", Objects.pods, body: pod("lost", spec: ["serviceAccountName": "ghost"]))
            #expect(reply.status == 403)
            #expect(reply.json["message"] == #"pods "lost" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found"#)
            #expect(try await s.revision() == before)
            let deprecated = await s.send("POST", Objects.pods, body: pod("old", spec: ["serviceAccount": "ghost"]))
            #expect(deprecated.status == 403)
        }
    }

    @Test func updatesLeaveTheCredentialsAlone() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.pods, body: pod("web"))
            var changed = created.json
            changed["metadata"]["labels"] = ["tier": "front"]
            let updated = await s.send("PUT", Objects.pods + "/web", body: changed)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.json["spec"]["volumes"] == created.json["spec"]["volumes"])
        }
    }
}
