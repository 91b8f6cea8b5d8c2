import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct ServerSideApplyTests {
    let catalog = MachineryFixtures.catalog
    let definition = MachineryFixtures.deployment
    let t0 = "2026-11-22T04:00:00Z"
    let t1 = "2026-11-22T05:00:00Z"

    func config(replicas: Int64 = 2, image: String = "nginx:1", labels: JSON = ["app": "web"], containers: [String] = ["web"]) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "labels": labels],
            "spec": [
                "replicas": .int(replicas),
                "template": ["spec": ["containers": .array(containers.map { ["name": .string($0), "image": .string($0 == "web" ? image : "busybox")] })]],
            ],
        ]
    }

    func apply(_ live: JSON?, _ config: JSON, manager: String = "kubectl", force: Bool = false, now: String? = nil) throws -> JSON {
        try ServerSideApply.apply(live: live, config: config, manager: manager, force: force, definition: definition, catalog: catalog, now: now ?? t0)
    }

    func entry(_ object: JSON, _ manager: String, _ operation: String = "Apply") -> JSON? {
        object["metadata"]["managedFields"].array?.first { $0["manager"].string == manager && $0["operation"].string == operation }
    }

    @Test func createRecordsFieldsV1() throws {
        let created = try apply(nil, config())
        #expect(created["spec"]["replicas"] == 2)
        #expect(created["apiVersion"] == "apps/v1")
        let e = try #require(entry(created, "kubectl"))
        #expect(e["apiVersion"] == "apps/v1")
        #expect(e["time"] == .string(t0))
        #expect(e["fieldsType"] == "FieldsV1")
        #expect(e["fieldsV1"].jsonText == #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#)
    }

    @Test func reapplyChangesAndRemovesFieldsNoLongerApplied() throws {
        let created = try apply(nil, config(labels: ["app": "web", "tier": "front"], containers: ["web", "sidecar"]))
        let updated = try apply(created, config(replicas: 3, image: "nginx:2"), now: t1)
        #expect(updated["spec"]["replicas"] == 3)
        #expect(updated["metadata"]["labels"] == ["app": "web"])
        let containers = updated["spec"]["template"]["spec"]["containers"]
        #expect(containers == [["name": "web", "image": "nginx:2"]])
        #expect(entry(updated, "kubectl")?["time"] == .string(t1))
        #expect(updated["metadata"]["managedFields"].array?.count == 1)
    }

    @Test func conflictWithClientSideApply() throws {
        var live = config()
        live = ServerSideApply.recordUpdate(old: nil, new: live, manager: "kubectl-client-side-apply", definition: definition, catalog: catalog, now: t0)
        #expect(entry(live, "kubectl-client-side-apply", "Update") != nil)
        do {
            _ = try apply(live, config(replicas: 3))
            Issue.record("applied")
        } catch let error as FlotillaError {
            #expect(error.code == .conflict)
            #expect(error.code.httpStatus == 409)
            #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
            #expect(error.causes == [FlotillaError.Cause(
                reason: "FieldManagerConflict", message: #"conflict with "kubectl-client-side-apply" using apps/v1"#, field: ".spec.replicas")])
            #expect(error.status["reason"] == "Conflict")
        }
        // Same values: no conflict, ownership is shared.
        let shared = try apply(live, config())
        #expect(entry(shared, "kubectl-client-side-apply", "Update")?["fieldsV1"]["f:spec"]["f:replicas"] == .emptyObject)
        #expect(entry(shared, "kubectl")?["fieldsV1"]["f:spec"]["f:replicas"] == .emptyObject)
    }

    @Test func forceMovesOwnership() throws {
        let live = ServerSideApply.recordUpdate(old: nil, new: config(), manager: "kubectl-client-side-apply", definition: definition, catalog: catalog, now: t0)
        let forced = try apply(live, config(replicas: 5, image: "nginx:3"), force: true)
        #expect(forced["spec"]["replicas"] == 5)
        let other = try #require(entry(forced, "kubectl-client-side-apply", "Update"))
        #expect(other["fieldsV1"]["f:spec"]["f:replicas"].isNull)
        #expect(other["fieldsV1"]["f:metadata"]["f:labels"]["f:app"] == .emptyObject)
        #expect(entry(forced, "kubectl")?["fieldsV1"]["f:spec"]["f:replicas"] == .emptyObject)
    }

    @Test func severalConflictsAreListed() throws {
        let live = ServerSideApply.recordUpdate(old: nil, new: config(), manager: "kubectl-client-side-apply", definition: definition, catalog: catalog, now: t0)
        do {
            _ = try apply(live, config(replicas: 3, image: "nginx:2"))
            Issue.record("applied")
        } catch let error as FlotillaError {
            #expect(error.message == """
                Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:
                - .spec.replicas
                - .spec.template.spec.containers[name="web"].image
                """)
            #expect(error.causes.map(\.field) == [".spec.replicas", #".spec.template.spec.containers[name="web"].image"#])
        }
    }

    @Test func updatesTakeOwnershipFromAppliers() throws {
        let created = try apply(nil, config())
        var edited = created
        edited[path: ["spec", "template", "spec", "containers"]] = [["name": "web", "image": "nginx:edited"]]
        edited = ServerSideApply.recordUpdate(old: created, new: edited, manager: "kubectl-edit", definition: definition, catalog: catalog, now: t1)
        let edit = try #require(entry(edited, "kubectl-edit", "Update"))
        #expect(edit["fieldsV1"].jsonText == #"{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{"f:image":{}}}}}}}"#)
        #expect(edit["time"] == .string(t1))
        #expect(entry(edited, "kubectl")?["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["f:image"].isNull == true)
        #expect(throws: FlotillaError.self) { try apply(edited, config()) }
        let unchanged = ServerSideApply.recordUpdate(old: edited, new: edited, manager: "other", definition: definition, catalog: catalog, now: t1)
        #expect(entry(unchanged, "other", "Update") == nil)
    }

    @Test func otherManagersKeepTheirElementsAndFields() throws {
        let created = try apply(nil, config(containers: ["web", "sidecar"]))
        var injected = created
        injected[path: ["spec", "template", "spec", "containers"]] = [
            ["name": "web", "image": "nginx:1"], ["name": "sidecar", "image": "busybox"], ["name": "proxy", "image": "envoy"],
        ]
        injected[path: ["metadata", "labels", "injected"]] = "yes"
        injected = ServerSideApply.recordUpdate(old: created, new: injected, manager: "injector", definition: definition, catalog: catalog, now: t1)
        let reapplied = try apply(injected, config(labels: ["app": "web"], containers: ["web"]))
        #expect(reapplied["spec"]["template"]["spec"]["containers"].array?.map { $0["name"] } == ["web", "proxy"])
        #expect(reapplied["metadata"]["labels"] == ["app": "web", "injected": "yes"])
    }

    @Test func setsAndUnknownFields() throws {
        var c = config()
        c[path: ["metadata", "finalizers"]] = ["a"]
        let created = try apply(nil, c)
        #expect(entry(created, "kubectl")?["fieldsV1"]["f:metadata"]["f:finalizers"] == ["v:\"a\"": .emptyObject])
        var withB = created
        withB[path: ["metadata", "finalizers"]] = ["a", "b"]
        withB = ServerSideApply.recordUpdate(old: created, new: withB, manager: "controller", definition: definition, catalog: catalog, now: t1)
        c[path: ["metadata", "finalizers"]] = ["c"]
        let r = try apply(withB, c)
        #expect(r["metadata"]["finalizers"] == ["c", "b"])
    }

    @Test func liveObjectWithoutManagedFieldsIsOwnedBeforeFirstApply() throws {
        do {
            _ = try apply(config(), config(replicas: 9))
            Issue.record("applied")
        } catch let error as FlotillaError {
            #expect(error.message.contains(#"conflict with "before-first-apply""#))
        }
        let same = try apply(config(), config())
        #expect(entry(same, "before-first-apply", "Update") != nil)
    }

    @Test func statusAndIdentityAreNotTracked() throws {
        var c = config()
        c["status"] = ["replicas": 1]
        let created = try apply(nil, c)
        let fields = entry(created, "kubectl")?["fieldsV1"]
        #expect(fields?["f:status"].isNull == true)
        #expect(fields?["f:metadata"]["f:name"].isNull == true)
        #expect(fields?["f:apiVersion"].isNull == true)
    }

    @Test func malformedConfigIs400() {
        do {
            _ = try apply(nil, [1, 2])
            Issue.record("applied")
        } catch let error as FlotillaError {
            #expect(error.code == .badRequest)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
