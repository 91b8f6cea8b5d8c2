import FlotillaAPI
import FlotillaCore
import Testing

/// The machinery against the built-in schemas, with the exact bodies kubectl sends.
@Suite struct MachinerySharedCatalogTests {
    let deploymentSchema = "io.k8s.api.apps.v1.Deployment"

    let manifest = MachineryFixtures.json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{
            "containers":[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"protocol":"TCP"}],
                           "env":[{"name":"A","value":"1"}],"resources":{"limits":{"cpu":"500m","memory":"128Mi"}}}],
            "volumes":[{"name":"data","emptyDir":{}}]}}}}
        """)

    @Test func manifestPassesStrictValidation() throws {
        let outcome = try StructuralValidation.validate(manifest, definition: deploymentSchema, mode: .strict)
        #expect(outcome.object == manifest)
        var bad = manifest
        bad[path: ["spec", "template", "spec", "containers"]] = [["name": "web", "imagee": "x"]]
        do {
            _ = try StructuralValidation.validate(bad, definition: deploymentSchema, mode: .strict)
            Issue.record("accepted")
        } catch {
            #expect(error.message.hasSuffix(#"strict decoding error: unknown field "spec.template.spec.containers[0].imagee""#))
        }
    }

    @Test func kubectlApplyPatchAfterEditingImage() throws {
        let patch = MachineryFixtures.json(#"""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"apps/v1\"}\n"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:2","name":"web"}]}}}}
            """#)
        let r = try StrategicMergePatch.apply(patch, to: manifest, definition: deploymentSchema)
        let c = r["spec"]["template"]["spec"]["containers"]
        #expect(c.array?.count == 1)
        #expect(c[0]["image"] == "nginx:2")
        #expect(c[0]["ports"] == manifest["spec"]["template"]["spec"]["containers"][0]["ports"])
        #expect(r["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == "{\"apiVersion\":\"apps/v1\"}\n")
    }

    @Test func kubectlEditSwitchingToRecreate() throws {
        let patch = MachineryFixtures.json(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#)
        let r = try StrategicMergePatch.apply(patch, to: manifest, definition: deploymentSchema)
        #expect(r["spec"]["strategy"] == ["type": "Recreate"])
    }

    @Test func cordonANode() throws {
        let node: JSON = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"], "spec": ["podCIDR": "10.244.0.0/24"]]
        let r = try StrategicMergePatch.apply(["spec": ["unschedulable": true]], to: node, definition: "io.k8s.api.core.v1.Node")
        #expect(r["spec"]["unschedulable"] == true)
        #expect(r["spec"]["podCIDR"] == "10.244.0.0/24")
    }

    @Test func serverSideApplyOfAManifest() throws {
        let created = try ServerSideApply.apply(
            live: nil, config: manifest, manager: "kubectl", force: false, definition: deploymentSchema, now: "2026-11-22T04:00:00Z")
        let fields = created["metadata"]["managedFields"][0]["fieldsV1"]
        #expect(fields["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"web\"}"]["f:ports"]["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]["f:containerPort"] == .emptyObject)
        var changed = manifest
        changed[path: ["spec", "replicas"]] = 4
        let live = ServerSideApply.recordUpdate(
            old: created, new: changed, manager: "kubectl-scale", definition: deploymentSchema, now: "2026-11-22T04:01:00Z")
        do {
            _ = try ServerSideApply.apply(
                live: live, config: manifest, manager: "kubectl", force: false, definition: deploymentSchema, now: "2026-11-22T04:02:00Z")
            Issue.record("applied")
        } catch {
            #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas"#)
        }
    }
}
