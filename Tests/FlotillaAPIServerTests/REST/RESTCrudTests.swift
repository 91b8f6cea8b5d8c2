import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

@Suite("REST create, read, update, delete")
struct RESTCrudTests {
    @Test func systemNamespacesExist() async throws {
        try await TestServer.with { s in
            let reply = await s.send("GET", "/api/v1/namespaces")
            #expect(reply.status == 200)
            let names = (reply.json["items"].array ?? []).compactMap { $0["metadata"]["name"].string }
            #expect(Set(names).isSuperset(of: ["default", "kube-system", "kube-public", "kube-node-lease"]))
            #expect(reply.json["kind"] == "NamespaceList")
        }
    }

    @Test func createGetListDelete() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("c1"))
            #expect(created.status == 201)
            #expect(created.header("content-type") == "application/json")
            let meta = created.json["metadata"]
            #expect(meta["namespace"] == "default")
            #expect((meta["uid"].string ?? "").count == 36)
            #expect(meta["creationTimestamp"].string != nil)
            let rv = try #require(meta["resourceVersion"].string)
            #expect(String(try await s.revision()) == rv)

            let got = await s.send("GET", Objects.configMaps + "/c1")
            #expect(got.status == 200)
            #expect(got.json["metadata"]["resourceVersion"].string == rv)
            #expect(got.json["data"]["a"] == "1")

            let list = await s.send("GET", Objects.configMaps)
            #expect(list.json["kind"] == "ConfigMapList")
            #expect(list.json["apiVersion"] == "v1")
            #expect(list.json["items"].array?.count == 1)
            #expect(list.json["metadata"]["resourceVersion"].string == rv)

            let all = await s.send("GET", "/api/v1/configmaps")
            #expect(all.json["items"].array?.count == 1)

            let deleted = await s.send("DELETE", Objects.configMaps + "/c1")
            #expect(deleted.status == 200)
            #expect(deleted.json["metadata"]["uid"] == meta["uid"])
            let gone = await s.send("GET", Objects.configMaps + "/c1")
            #expect(gone.status == 404)
            #expect(gone.json["message"] == "configmaps \"c1\" not found")
            #expect(gone.json["reason"] == "NotFound")
        }
    }

    @Test func createTakesKindFromURLAndRejectsDuplicates() async throws {
        try await TestServer.with { s in
            let bare: JSON = ["metadata": ["name": "bare"], "data": ["x": "y"]]
            let created = await s.send("POST", Objects.configMaps, body: bare)
            #expect(created.status == 201)
            #expect(created.json["kind"] == "ConfigMap")
            #expect(created.json["apiVersion"] == "v1")
            let again = await s.send("POST", Objects.configMaps, body: bare)
            #expect(again.status == 409)
            #expect(again.json["reason"] == "AlreadyExists")
            #expect(again.json["message"] == "configmaps \"bare\" already exists")
        }
    }

    @Test func createFromYAMLAndProtobufBodies() async throws {
        try await TestServer.with { s in
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  key: value\n"
            let fromYAML = await s.send("POST", Objects.configMaps, raw: yaml, contentType: "application/yaml")
            #expect(fromYAML.status == 201)
            #expect(fromYAML.json["data"]["key"] == "value")

            func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] {
                var out: [UInt8] = [number << 3 | 2]
                var n = bytes.count
                while n >= 0x80 { out.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
                return out + [UInt8(n)] + bytes
            }
            func text(_ number: UInt8, _ s: String) -> [UInt8] { field(number, Array(s.utf8)) }
            let configMap = field(1, text(1, "from-protobuf")) + field(2, text(1, "a") + text(2, "b"))
            let unknown = field(1, text(1, "v1") + text(2, "ConfigMap")) + field(2, configMap)
                + text(4, "application/vnd.kubernetes.protobuf")
            let body = String(decoding: [0x6B, 0x38, 0x73, 0x00] + unknown, as: UTF8.self)
            let fromProtobuf = await s.send("POST", Objects.configMaps, raw: body, contentType: "application/vnd.kubernetes.protobuf")
            #expect(fromProtobuf.status == 201, "\(fromProtobuf.text)")
            #expect(fromProtobuf.json["metadata"]["name"] == "from-protobuf")
            #expect(fromProtobuf.json["data"]["a"] == "b")
        }
    }

    @Test func generateNameMakesUniqueNames() async throws {
        try await TestServer.with { s in
            var names = Set<String>()
            for _ in 0..<5 {
                let reply = await s.send("POST", Objects.configMaps, body: ["metadata": ["generateName": "gen-"], "data": [:]])
                #expect(reply.status == 201)
                let name = try #require(reply.json["metadata"]["name"].string)
                #expect(name.hasPrefix("gen-") && name.count == 9)
                #expect(name.dropFirst(4).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
                names.insert(name)
            }
            #expect(names.count == 5)
        }
    }

    @Test func dryRunWritesNothing() async throws {
        try await TestServer.with { s in
            let before = try await s.revision()
            let reply = await s.send("POST", Objects.configMaps, query: [("dryRun", "All")], body: Objects.configMap("dry"))
            #expect(reply.status == 201)
            #expect(reply.json["metadata"]["uid"].string != nil)
            #expect(try await s.revision() == before)
            #expect(await s.send("GET", Objects.configMaps + "/dry").status == 404)

            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("real"))
            let afterCreate = try await s.revision()
            let dryDelete = await s.send("DELETE", Objects.configMaps + "/real", query: [("dryRun", "All")])
            #expect(dryDelete.status == 200)
            #expect(try await s.revision() == afterCreate)
            #expect(await s.send("GET", Objects.configMaps + "/real").status == 200)
        }
    }

    @Test func updateChecksResourceVersionAndSkipsNoOps() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("u"))
            var object = created.json
            let rv1 = try #require(object["metadata"]["resourceVersion"].string)

            object["data"] = ["a": "2"]
            let updated = await s.send("PUT", Objects.configMaps + "/u", body: object)
            #expect(updated.status == 200)
            let rv2 = try #require(updated.json["metadata"]["resourceVersion"].string)
            #expect(rv2 != rv1)
            #expect(updated.json["metadata"]["uid"] == created.json["metadata"]["uid"])

            // The old version is stale now.
            let stale = await s.send("PUT", Objects.configMaps + "/u", body: object)
            #expect(stale.status == 409)
            #expect(stale.json["reason"] == "Conflict")
            #expect(
                stale.json["message"]
                    == "Operation cannot be fulfilled on configmaps \"u\": the object has been modified; please apply your changes to the latest version and try again")

            // Without a resourceVersion the update is unconditional.
            var unconditional = updated.json
            unconditional["metadata"]["resourceVersion"] = nil
            unconditional["data"] = ["a": "3"]
            let forced = await s.send("PUT", Objects.configMaps + "/u", body: unconditional)
            #expect(forced.status == 200)
            #expect(forced.json["data"]["a"] == "3")

            // Sending the same object again writes nothing.
            let before = try await s.revision()
            let noop = await s.send("PUT", Objects.configMaps + "/u", body: forced.json)
            #expect(noop.status == 200)
            #expect(noop.json["metadata"]["resourceVersion"] == forced.json["metadata"]["resourceVersion"])
            #expect(try await s.revision() == before)
        }
    }

    @Test func generationFollowsSpecChangesOnly() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.deployments, body: Objects.deployment("web"))
            #expect(created.status == 201)
            #expect(created.json["metadata"]["generation"] == 1)

            var labelled = created.json
            labelled["metadata"]["labels"] = ["team": "a"]
            let relabelled = await s.send("PUT", Objects.deployments + "/web", body: labelled)
            #expect(relabelled.status == 200)
            #expect(relabelled.json["metadata"]["generation"] == 1)

            var scaled = relabelled.json
            scaled["spec"]["replicas"] = 3
            let rescaled = await s.send("PUT", Objects.deployments + "/web", body: scaled)
            #expect(rescaled.json["metadata"]["generation"] == 2)
        }
    }

    @Test func statusOnlyChangesThroughStatusSubresource() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.deployments, body: Objects.deployment("st"))
            var object = created.json
            object["status"] = ["replicas": 7]
            let main = await s.send("PUT", Objects.deployments + "/st", body: object)
            #expect(main.status == 200)
            #expect(main.json["status"]["replicas"].int != 7)

            var statusUpdate = main.json
            statusUpdate["status"] = ["replicas": 7]
            statusUpdate["spec"]["replicas"] = 9
            let viaStatus = await s.send("PUT", Objects.deployments + "/st/status", body: statusUpdate)
            #expect(viaStatus.status == 200)
            #expect(viaStatus.json["status"]["replicas"] == 7)
            #expect(viaStatus.json["spec"]["replicas"] == 1)
            #expect(viaStatus.json["metadata"]["generation"] == 1)
        }
    }

    @Test func patchesOfEveryType() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.deployments, body: Objects.deployment("p"))

            let merge = await s.send(
                "PATCH", Objects.deployments + "/p", raw: #"{"metadata":{"labels":{"tier":"web"}}}"#,
                contentType: "application/merge-patch+json")
            #expect(merge.status == 200)
            #expect(merge.json["metadata"]["labels"]["tier"] == "web")

            let json = await s.send(
                "PATCH", Objects.deployments + "/p", raw: #"[{"op":"replace","path":"/spec/replicas","value":4}]"#,
                contentType: "application/json-patch+json")
            #expect(json.status == 200)
            #expect(json.json["spec"]["replicas"] == 4)

            let strategic = await s.send(
                "PATCH", Objects.deployments + "/p",
                raw: #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web","image":"nginx:2"}]}}}}"#,
                contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 200)
            let containers = strategic.json["spec"]["template"]["spec"]["containers"].array ?? []
            #expect(containers.count == 1)
            #expect(containers.first?["image"] == "nginx:2")
            #expect(containers.first?["name"] == "web")

            let apply = await s.send(
                "PATCH", Objects.deployments + "/applied", query: [("fieldManager", "kubectl")],
                body: Objects.deployment("applied", replicas: 2), contentType: "application/apply-patch+yaml")
            #expect(apply.status == 201)
            #expect(apply.json["spec"]["replicas"] == 2)
            let managers = (apply.json["metadata"]["managedFields"].array ?? []).compactMap { $0["manager"].string }
            #expect(managers.contains("kubectl"))

            let reapply = await s.send(
                "PATCH", Objects.deployments + "/applied", query: [("fieldManager", "kubectl")],
                body: Objects.deployment("applied", replicas: 5), contentType: "application/apply-patch+yaml")
            #expect(reapply.status == 200)
            #expect(reapply.json["spec"]["replicas"] == 5)

            let other = await s.send(
                "PATCH", Objects.deployments + "/applied", query: [("fieldManager", "other")],
                body: Objects.deployment("applied", replicas: 6), contentType: "application/apply-patch+yaml")
            #expect(other.status == 409)
            #expect(other.json["reason"] == "Conflict")

            let forced = await s.send(
                "PATCH", Objects.deployments + "/applied", query: [("fieldManager", "other"), ("force", "true")],
                body: Objects.deployment("applied", replicas: 6), contentType: "application/apply-patch+yaml")
            #expect(forced.status == 200)
            #expect(forced.json["spec"]["replicas"] == 6)
        }
    }

    @Test func concurrentPatchesAllLand() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("race"))
            await withTaskGroup(of: Int.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        await s.send(
                            "PATCH", Objects.configMaps + "/race", raw: #"{"metadata":{"labels":{"l\#(n)":"v"}}}"#,
                            contentType: "application/merge-patch+json"
                        ).status
                    }
                }
                for await status in group { #expect(status == 200) }
            }
            let labels = await s.send("GET", Objects.configMaps + "/race").json["metadata"]["labels"].object ?? [:]
            #expect(labels.count == 20)
        }
    }

    @Test func patchWithStaleResourceVersionConflicts() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Objects.configMaps, body: Objects.configMap("rv"))
            _ = await s.send("PATCH", Objects.configMaps + "/rv", raw: #"{"data":{"b":"2"}}"#, contentType: "application/merge-patch+json")
            let rv = created.json["metadata"]["resourceVersion"].string ?? ""
            let before = try await s.revision()
            let stale = await s.send(
                "PATCH", Objects.configMaps + "/rv", raw: #"{"metadata":{"resourceVersion":"\#(rv)"},"data":{"c":"3"}}"#,
                contentType: "application/merge-patch+json")
            #expect(stale.status == 409)
            #expect(try await s.revision() == before)
        }
    }

    @Test func finalizersDelayDeletion() async throws {
        try await TestServer.with { s in
            var object = Objects.configMap("fin")
            object["metadata"]["finalizers"] = ["example.com/hold"]
            _ = await s.send("POST", Objects.configMaps, body: object)
            let deleted = await s.send("DELETE", Objects.configMaps + "/fin")
            #expect(deleted.status == 200)
            #expect(deleted.json["metadata"]["deletionTimestamp"].string != nil)
            let still = await s.send("GET", Objects.configMaps + "/fin")
            #expect(still.status == 200)

            let released = await s.send(
                "PATCH", Objects.configMaps + "/fin", raw: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
            #expect(released.status == 200)
            #expect(await s.send("GET", Objects.configMaps + "/fin").status == 404)
        }
    }

    @Test func orphanAndForegroundDeletionsWaitForTheGarbageCollector() async throws {
        try await TestServer.with { s in
            for (name, policy, finalizer) in [("orph", "Orphan", "orphan"), ("fore", "Foreground", "foregroundDeletion")] {
                _ = await s.send("POST", Objects.configMaps, body: Objects.configMap(name))
                let deleted = await s.send("DELETE", Objects.configMaps + "/" + name, query: [("propagationPolicy", policy)])
                #expect(deleted.status == 200)
                #expect(deleted.json["metadata"]["finalizers"] == [.string(finalizer)])
                #expect(deleted.json["metadata"]["deletionTimestamp"].string != nil)
                #expect(await s.send("GET", Objects.configMaps + "/" + name).status == 200)
                // Deleting again does not add the finalizer twice.
                let again = await s.send("DELETE", Objects.configMaps + "/" + name, body: ["kind": "DeleteOptions", "propagationPolicy": .string(policy)])
                #expect(again.json["metadata"]["finalizers"] == [.string(finalizer)])
            }
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("back"))
            #expect(await s.send("DELETE", Objects.configMaps + "/back", query: [("propagationPolicy", "Background")]).status == 200)
            #expect(await s.send("GET", Objects.configMaps + "/back").status == 404)
        }
    }

    @Test func deletePreconditions() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("pre"))
            let before = try await s.revision()
            let wrongUID = await s.send(
                "DELETE", Objects.configMaps + "/pre", body: ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "nope"]])
            #expect(wrongUID.status == 409)
            #expect((wrongUID.json["message"].string ?? "").hasPrefix("Precondition failed: UID in precondition: nope"))
            #expect(try await s.revision() == before)
        }
    }

    @Test func boundPodsAreDeletedGracefully() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.pods, body: Objects.pod("bound", nodeName: "node-1"))
            let graceful = await s.send("DELETE", Objects.pods + "/bound")
            #expect(graceful.status == 200)
            #expect(graceful.json["metadata"]["deletionTimestamp"].string != nil)
            #expect(graceful.json["metadata"]["deletionGracePeriodSeconds"].int == 30)
            #expect(await s.send("GET", Objects.pods + "/bound").status == 200)

            let now = await s.send("DELETE", Objects.pods + "/bound", query: [("gracePeriodSeconds", "0")])
            #expect(now.status == 200)
            #expect(await s.send("GET", Objects.pods + "/bound").status == 404)

            _ = await s.send("POST", Objects.pods, body: Objects.pod("unbound"))
            #expect(await s.send("DELETE", Objects.pods + "/unbound").status == 200)
            #expect(await s.send("GET", Objects.pods + "/unbound").status == 404)
        }
    }

    @Test func deleteCollectionBySelector() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("x1", labels: ["app": "x"]))
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("x2", labels: ["app": "x"]))
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("y1", labels: ["app": "y"]))
            let reply = await s.send("DELETE", Objects.configMaps, query: [("labelSelector", "app=x")])
            #expect(reply.status == 200)
            #expect(reply.json["kind"] == "ConfigMapList")
            #expect(reply.json["items"].array?.count == 2)
            let left = await s.send("GET", Objects.configMaps)
            #expect((left.json["items"].array ?? []).compactMap { $0["metadata"]["name"].string } == ["y1"])
        }
    }

    @Test func namespaceLifecycle() async throws {
        try await TestServer.with { s in
            let missing = await s.send("POST", "/api/v1/namespaces/nowhere/configmaps", body: Objects.configMap("c"))
            #expect(missing.status == 404)
            #expect(missing.json["message"] == "namespaces \"nowhere\" not found")

            let ns = await s.send("POST", "/api/v1/namespaces", body: ["metadata": ["name": "team"]])
            #expect(ns.status == 201)
            #expect(ns.json["status"]["phase"] == "Active")
            #expect(await s.send("POST", "/api/v1/namespaces/team/configmaps", body: Objects.configMap("c")).status == 201)

            let deleting = await s.send("DELETE", "/api/v1/namespaces/team")
            #expect(deleting.status == 200)
            #expect(deleting.json["status"]["phase"] == "Terminating")
            #expect(deleting.json["metadata"]["deletionTimestamp"].string != nil)

            let refused = await s.send("POST", "/api/v1/namespaces/team/configmaps", body: Objects.configMap("d"))
            #expect(refused.status == 403)
            #expect(refused.json["message"] == "unable to create new content in namespace team because it is being terminated")

            let cleaner = NamespaceCleaner(server: s.server, interval: .milliseconds(50))
            let task = Task { try await cleaner.run() }
            var gone = false
            for _ in 0..<100 where !gone {
                try await Task.sleep(for: .milliseconds(50))
                gone = await s.send("GET", "/api/v1/namespaces/team").status == 404
            }
            task.cancel()
            #expect(gone)
            #expect(await s.send("GET", "/api/v1/namespaces/team/configmaps/c").status == 404)
        }
    }

    @Test func namespaceMismatchIsRejected() async throws {
        try await TestServer.with { s in
            let reply = await s.send("POST", Objects.configMaps, body: Objects.configMap("m", namespace: "kube-system"))
            #expect(reply.status == 400)
            #expect(reply.json["message"] == "the namespace of the provided object does not match the namespace sent on the request")
        }
    }

    @Test func fieldValidationModes() async throws {
        try await TestServer.with { s in
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv"},"bogus":1,"data":{"a":"1"}}"#
            let strict = await s.send("POST", Objects.configMaps, query: [("fieldValidation", "Strict")], raw: body)
            #expect(strict.status == 400)
            #expect((strict.json["message"].string ?? "").contains("unknown field \"bogus\""))

            let warn = await s.send("POST", Objects.configMaps, raw: body)
            #expect(warn.status == 201)
            #expect(warn.warnings.contains { $0.hasPrefix("299 - ") && $0.contains("unknown field") })
            #expect(warn.json["bogus"].isNull)

            let duplicate = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"}}"#
            let strictDuplicate = await s.send("POST", Objects.configMaps, query: [("fieldValidation", "Strict")], raw: duplicate)
            #expect(strictDuplicate.status == 400)
            #expect((strictDuplicate.json["message"].string ?? "").contains("duplicate field \"metadata.name\""))
        }
    }
}
