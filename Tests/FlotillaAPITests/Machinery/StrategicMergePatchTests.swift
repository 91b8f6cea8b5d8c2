import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct StrategicMergePatchTests {
    let live = MachineryFixtures.liveDeployment

    func patch(_ text: String, _ original: JSON? = nil, definition: String = MachineryFixtures.deployment) throws -> JSON {
        try StrategicMergePatch.apply(
            MachineryFixtures.json(text), to: original ?? live, definition: definition, catalog: MachineryFixtures.catalog)
    }

    func containers(_ object: JSON) -> [JSON] { object["spec"]["template"]["spec"]["containers"].array ?? [] }

    @Test func kubectlApplyAfterEditingImage() throws {
        let oneContainer = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}"#)
        let r = try patch(
            #"{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:2","name":"web"}]}}}}"#,
            oneContainer)
        #expect(containers(r).count == 1)
        #expect(containers(r)[0]["image"] == "nginx:2")
        #expect(containers(r)[0]["ports"] == [["containerPort": 80, "protocol": "TCP"]])
        #expect(r["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == "{}")
        #expect(r["metadata"]["labels"] == ["app": "web"])
        #expect(r.jsonText.contains("$") == false)
    }

    @Test func serverOnlyElementsKeepTheirPlace() throws {
        let r = try patch(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],"containers":[{"name":"web","image":"nginx:2"},{"name":"log","image":"fluent"}]}}}}"#)
        #expect(containers(r).map { $0["name"] } == ["web", "log", "sidecar"])
        #expect(containers(r)[0]["image"] == "nginx:2")
        #expect(containers(r)[2]["args"] == ["sleep", "3600"])
    }

    @Test func setElementOrderAloneReorders() throws {
        let r = try patch(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}}"#)
        #expect(containers(r).map { $0["name"] } == ["sidecar", "web"])
    }

    @Test func mergesByKeyAndAppendsNewElements() throws {
        let r = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"},{"name":"A","value":"9"}],"ports":[{"containerPort":443}]},{"name":"new","image":"x"}]}}}}"#)
        let web = containers(r)[0]
        #expect(web["env"] == [["name": "A", "value": "9"], ["name": "B", "value": "2"]])
        #expect(web["ports"] == [["containerPort": 80, "protocol": "TCP"], ["containerPort": 443]])
        #expect(containers(r).map { $0["name"] } == ["web", "sidecar", "new"])
    }

    @Test func atomicListsAndUnknownListsReplace() throws {
        let r = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","args":["true"]}]}}},"extra":{"list":[1],"m":{"a":1}}}"#)
        #expect(containers(r)[1]["args"] == ["true"])
        #expect(r["extra"] == ["list": [1], "m": ["a": 1]])
        let again = try patch(#"{"extra":{"list":[2],"m":{"b":2,"a":null}}}"#, r)
        #expect(again["extra"] == ["list": [2], "m": ["b": 2]])
    }

    @Test func rolloutRestartAndCordon() throws {
        let r = try patch(#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T04:00:00Z"}}}}}"#)
        #expect(r["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == "2026-11-22T04:00:00Z")
        #expect(r["spec"]["template"]["metadata"]["labels"] == ["app": "web"])
        let node: JSON = ["metadata": ["name": "n1"], "spec": ["podCIDR": "10.244.1.0/24"]]
        let cordoned = try patch(#"{"spec":{"unschedulable":true}}"#, node, definition: MachineryFixtures.node)
        #expect(cordoned["spec"] == ["podCIDR": "10.244.1.0/24", "unschedulable": true])
        let uncordoned = try patch(#"{"spec":{"unschedulable":null}}"#, cordoned, definition: MachineryFixtures.node)
        #expect(uncordoned["spec"] == ["podCIDR": "10.244.1.0/24"])
    }

    @Test func patchDirectives() throws {
        let replaced = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}"#)
        #expect(containers(replaced) == [["name": "only", "image": "x"]])
        let deleted = try patch(#"{"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"web"}]}}}}"#)
        #expect(containers(deleted).map { $0["name"] } == ["sidecar"])
        let mapReplaced = try patch(#"{"spec":{"selector":{"$patch":"replace","matchLabels":{"tier":"x"}}}}"#)
        #expect(mapReplaced["spec"]["selector"] == ["matchLabels": ["tier": "x"]])
        let mapDeleted = try patch(#"{"spec":{"strategy":{"$patch":"delete"}}}"#)
        #expect(mapDeleted["spec"]["strategy"].isNull)
        let merged = try patch(#"{"metadata":{"$patch":"merge","labels":{"b":"2"}}}"#)
        #expect(merged["metadata"]["labels"] == ["app": "web", "b": "2"])
        let root = try patch(#"{"$patch":"replace","metadata":{"name":"x"}}"#)
        #expect(root == ["metadata": ["name": "x"]])
    }

    @Test func retainKeysDropsOtherFields() throws {
        let r = try patch(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#)
        #expect(r["spec"]["strategy"] == ["type": "Recreate"])
        let v = try patch(#"{"spec":{"template":{"spec":{"volumes":[{"$retainKeys":["configMap","name"],"name":"data","configMap":{"name":"cm"}}]}}}}"#)
        #expect(v["spec"]["template"]["spec"]["volumes"] == [["name": "data", "configMap": ["name": "cm"]]])
    }

    @Test func primitiveListsUnionAndDelete() throws {
        let withFinalizers = try patch(#"{"metadata":{"finalizers":["a","b"]}}"#)
        let r = try patch(#"{"metadata":{"finalizers":["b","c"]}}"#, withFinalizers)
        #expect(r["metadata"]["finalizers"] == ["a", "b", "c"])
        let d = try patch(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a","c"]}}"#, r)
        #expect(d["metadata"]["finalizers"] == ["b"])
        let o = try patch(#"{"metadata":{"$setElementOrder/finalizers":["c","b","a"]}}"#, r)
        #expect(o["metadata"]["finalizers"] == ["c", "b", "a"])
    }

    @Test func newSubtreesHaveDirectivesStripped() throws {
        let r = try patch(#"{"spec":{"template":{"spec":{"volumes":null}}},"fresh":{"a":null,"b":1}}"#)
        #expect(r["spec"]["template"]["spec"]["volumes"].isNull)
        #expect(r["fresh"] == ["b": 1])
        let bare: JSON = ["metadata": ["name": "web"]]
        let created = try patch(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"a","image":"i","env":[{"name":"X","value":null}]}]}}}}"#, bare)
        #expect(containers(created) == [["name": "a", "image": "i", "env": [["name": "X"]]]])
    }

    @Test(arguments: [
        #"{"spec":{"$patch":"frobnicate"}}"#,
        #"{"spec":{"template":{"spec":{"containers":[{"image":"no-name"}]}}}}"#,
        #"{"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}}"#,
        #"{"spec":{"template":{"spec":{"containers":["web"]}}}}"#,
        #"{"spec":{"template":{"spec":{"$setElementOrder/containers":{"name":"web"}}}}}"#,
        #"{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}"#,
        #"{"spec":{"strategy":{"$retainKeys":"type"}}}"#,
        #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#,
        #"{"spec":{"$frobnicate":1}}"#,
        #"{"metadata":{"finalizers":[{"a":1}]}}"#,
        #"[1]"#,
    ])
    func directiveMisuseIs400(_ text: String) {
        do {
            _ = try patch(text)
            Issue.record("applied \(text)")
        } catch let error as FlotillaError {
            #expect(error.code == .badRequest)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func badPatchTypeMessage() {
        do {
            _ = try patch(#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#)
        } catch let error as FlotillaError {
            #expect(error.message == #"map: {"image":"x"} does not contain declared merge key: name"#)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
