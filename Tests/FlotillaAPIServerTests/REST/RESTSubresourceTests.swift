import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

@Suite("REST subresources and virtual kinds")
struct RESTSubresourceTests {
    @Test func scaleGetPutPatch() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.deployments, body: Objects.deployment("sc", replicas: 2))
            let scale = await s.send("GET", Objects.deployments + "/sc/scale")
            #expect(scale.status == 200)
            #expect(scale.json["kind"] == "Scale")
            #expect(scale.json["apiVersion"] == "autoscaling/v1")
            #expect(scale.json["spec"]["replicas"] == 2)
            #expect(scale.json["status"]["selector"] == "app=sc")

            var put = scale.json
            put["spec"]["replicas"] = 4
            let updated = await s.send("PUT", Objects.deployments + "/sc/scale", body: put)
            #expect(updated.status == 200)
            #expect(updated.json["spec"]["replicas"] == 4)
            let stale = await s.send("PUT", Objects.deployments + "/sc/scale", body: put)
            #expect(stale.status == 409)

            let patched = await s.send(
                "PATCH", Objects.deployments + "/sc/scale", raw: #"{"spec":{"replicas":6}}"#, contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["spec"]["replicas"] == 6)
            let deployment = await s.send("GET", Objects.deployments + "/sc")
            #expect(deployment.json["spec"]["replicas"] == 6)
            #expect(deployment.json["metadata"]["generation"] == 3)

            let negative = await s.send(
                "PATCH", Objects.deployments + "/sc/scale", raw: #"{"spec":{"replicas":-1}}"#, contentType: "application/merge-patch+json")
            #expect(negative.status == 422)
        }
    }

    @Test func bindingAssignsNodeOnce() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("b1"))
            let binding: JSON = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": "b1"], "target": ["kind": "Node", "name": "n1"]]
            let bound = await s.send("POST", Objects.pods + "/b1/binding", body: binding)
            #expect(bound.status == 201)
            #expect(bound.json["status"] == "Success")
            let pod = await s.send("GET", Objects.pods + "/b1")
            #expect(pod.json["spec"]["nodeName"] == "n1")
            let scheduled = (pod.json["status"]["conditions"].array ?? []).first { $0["type"] == "PodScheduled" }
            #expect(scheduled?["status"] == "True")

            let again = await s.send("POST", Objects.pods + "/b1/binding", body: binding)
            #expect(again.status == 409)
            #expect(again.json["message"] == "pod b1 is already assigned to node \"n1\"")

            _ = await s.send("POST", Objects.pods, body: Objects.pod("b2"))
            var legacy = binding
            legacy["metadata"]["name"] = "b2"
            let viaCollection = await s.send("POST", "/api/v1/namespaces/default/bindings", body: legacy)
            #expect(viaCollection.status == 201)
            #expect(await s.send("GET", Objects.pods + "/b2").json["spec"]["nodeName"] == "n1")
        }
    }

    @Test func evictionHonoursDisruptionBudgets() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("e1", labels: ["app": "e"]))
            let status = await s.send(
                "PATCH", Objects.pods + "/e1/status", raw: #"{"status":{"phase":"Running"}}"#, contentType: "application/merge-patch+json")
            #expect(status.status == 200)
            #expect(status.json["status"]["phase"] == "Running")
            let pdb: JSON = [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "pdb"],
                "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "e"]]],
            ]
            #expect(await s.send("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", body: pdb).status == 201)
            let eviction: JSON = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "e1", "namespace": "default"]]
            let refused = await s.send("POST", Objects.pods + "/e1/eviction", body: eviction)
            #expect(refused.status == 429)
            #expect(refused.json["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
            #expect(await s.send("GET", Objects.pods + "/e1").status == 200)

            let allowed = await s.send(
                "PATCH", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb/status",
                raw: #"{"status":{"disruptionsAllowed":1,"currentHealthy":1,"desiredHealthy":1,"expectedPods":1}}"#,
                contentType: "application/merge-patch+json")
            #expect(allowed.status == 200)
            let evicted = await s.send("POST", Objects.pods + "/e1/eviction", body: eviction)
            #expect(evicted.status == 201)
            #expect(await s.send("GET", Objects.pods + "/e1").status == 404)
            // The eviction spent the allowed disruption, so a second pod cannot go before the
            // budget is recomputed.
            let spent = await s.send("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb")
            #expect(spent.json["status"]["disruptionsAllowed"] == 0)
            #expect(spent.json["status"]["disruptedPods"]["e1"].string != nil)
            _ = await s.send("POST", Objects.pods, body: Objects.pod("e2", labels: ["app": "e"]))
            _ = await s.send("PATCH", Objects.pods + "/e2/status", raw: #"{"status":{"phase":"Running"}}"#, contentType: "application/merge-patch+json")
            let second: JSON = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "e2", "namespace": "default"]]
            #expect(await s.send("POST", Objects.pods + "/e2/eviction", body: second).status == 429)
        }
    }

    @Test func newPodsTolerateLostNodesForAWhile() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.pods, body: Objects.pod("t1"))
            let tolerations = created.json["spec"]["tolerations"].array ?? []
            #expect(tolerations.count == 2)
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                let toleration = tolerations.first { $0["key"].string == key }
                #expect(toleration?["effect"] == "NoExecute")
                #expect(toleration?["tolerationSeconds"] == 300)
            }
            // A pod that already tolerates everything gets nothing more.
            var tolerant = Objects.pod("t2")
            tolerant[path: ["spec", "tolerations"]] = [["operator": "Exists"]]
            let kept = await s.send("POST", Objects.pods, body: tolerant)
            #expect(kept.json["spec"]["tolerations"].array?.count == 1)
        }
    }

    @Test func podConnectionsNeedAHost() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("c1"))
            let unbound = await s.send("GET", Objects.pods + "/c1/log")
            #expect(unbound.status == 400)
            #expect(unbound.json["message"] == "pod c1 does not have a host assigned")
            _ = await s.send("POST", Objects.pods, body: Objects.pod("c2", nodeName: "n1"))
            let bound = await s.send("GET", Objects.pods + "/c2/log")
            #expect(bound.status == 503)
        }
    }

    @Test func accessReviewsAllowEverything() async throws {
        try await TestServer.with { s in
            let before = try await s.revision()
            let review: JSON = [
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": ["resourceAttributes": ["verb": "get", "resource": "pods", "namespace": "default"]],
            ]
            let reply = await s.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body: review)
            #expect(reply.status == 201)
            #expect(reply.json["status"]["allowed"] == true)
            let whoami = await s.send(
                "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                body: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
            #expect(whoami.status == 201)
            #expect(whoami.json["status"]["userInfo"]["username"] == "admin")
            #expect(try await s.revision() == before)
        }
    }
}
