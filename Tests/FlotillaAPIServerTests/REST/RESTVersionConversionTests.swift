import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

/// One resource served in two versions with one storage: autoscaling/v1 and v2 autoscalers.
@Suite("REST version conversion")
struct RESTVersionConversionTests {
    static let v1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
    static let v2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"
    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"

    static func v1Object(_ name: String, target: Int64? = 70, maxReplicas: Int64 = 5) -> JSON {
        var spec: JSON = [
            "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(name)],
            "minReplicas": 2, "maxReplicas": .int(maxReplicas),
        ]
        if let target { spec["targetCPUUtilizationPercentage"] = .int(target) }
        return ["apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string(name)], "spec": spec]
    }

    static let memoryMetric: JSON = [
        "type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "200Mi"]],
    ]

    static func cpuMetric(_ utilization: Int64) -> JSON {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(utilization)]]]
    }

    @Test func createThroughV1ReadThroughBoth() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Self.v1, body: Self.v1Object("web"))
            #expect(created.status == 201)
            #expect(created.json["apiVersion"] == "autoscaling/v1")
            #expect(created.json["spec"]["targetCPUUtilizationPercentage"] == 70)
            #expect(created.json["spec"]["metrics"].isNull)
            #expect(created.json["status"] == ["currentReplicas": 0, "desiredReplicas": 0])

            let asV2 = await s.send("GET", Self.v2 + "/web")
            #expect(asV2.status == 200)
            #expect(asV2.json["apiVersion"] == "autoscaling/v2")
            #expect(asV2.json["spec"]["metrics"] == [Self.cpuMetric(70)])
            #expect(asV2.json["metadata"]["annotations"].isNull)
            #expect(asV2.json["metadata"]["resourceVersion"] == created.json["metadata"]["resourceVersion"])

            let asV1 = await s.send("GET", Self.v1 + "/web")
            #expect(asV1.json == created.json)

            // Without a target, v2's default applies.
            let bare = await s.send("POST", Self.v1, body: Self.v1Object("bare", target: nil))
            #expect(bare.status == 201)
            #expect(bare.json["spec"]["targetCPUUtilizationPercentage"] == 80)
        }
    }

    @Test func createThroughV2ReadThroughV1AndWriteBack() async throws {
        try await TestServer.with { s in
            var object = Self.v1Object("rich")
            object["apiVersion"] = "autoscaling/v2"
            object["spec"]["targetCPUUtilizationPercentage"] = nil
            object["spec"]["metrics"] = [Self.cpuMetric(60), Self.memoryMetric]
            let created = await s.send("POST", Self.v2, body: object)
            #expect(created.status == 201)

            let asV1 = await s.send("GET", Self.v1 + "/rich")
            #expect(asV1.json["spec"]["targetCPUUtilizationPercentage"] == 60)
            let carried = try JSONParser.parse(asV1.json["metadata"]["annotations"][Self.metricsAnnotation].string ?? "")
            #expect(carried == [Self.memoryMetric])

            // A v1 update that keeps the annotation keeps the memory metric.
            var update = asV1.json
            update["spec"]["maxReplicas"] = 9
            let updated = await s.send("PUT", Self.v1 + "/rich", body: update)
            #expect(updated.status == 200)
            #expect(updated.json["apiVersion"] == "autoscaling/v1")
            #expect(updated.json["spec"]["maxReplicas"] == 9)
            let back = await s.send("GET", Self.v2 + "/rich")
            #expect(back.json["spec"]["metrics"] == [Self.cpuMetric(60), Self.memoryMetric])
            #expect(back.json["spec"]["maxReplicas"] == 9)
            #expect(back.json["metadata"]["annotations"].isNull)
            #expect(back.json["metadata"]["generation"] == 2)
        }
    }

    @Test func listsWatchesAndTablesThroughV1() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.v1, body: Self.v1Object("a"))
            var b = Self.v1Object("b")
            b["apiVersion"] = "autoscaling/v2"
            b["spec"]["targetCPUUtilizationPercentage"] = nil
            b["spec"]["metrics"] = [Self.cpuMetric(55)]
            _ = await s.send("POST", Self.v2, body: b)

            let list = await s.send("GET", Self.v1)
            #expect(list.json["kind"] == "HorizontalPodAutoscalerList")
            #expect(list.json["apiVersion"] == "autoscaling/v1")
            let items = list.json["items"].array ?? []
            #expect(items.map { $0["apiVersion"] } == ["autoscaling/v1", "autoscaling/v1"])
            #expect(items.map { $0["spec"]["targetCPUUtilizationPercentage"] } == [70, 55])
            #expect(items.allSatisfy { !$0["metadata"]["resourceVersion"].isNull })

            let table = await s.send("GET", Self.v1, query: [("includeObject", "Object")], accept: RESTListWatchTests.tableAccept)
            #expect(table.json["columnDefinitions"].array?.map { $0["name"] } == [
                "Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age",
            ])
            #expect(table.json["rows"][0]["cells"].array?.prefix(5).map { $0 } == ["a", "Deployment/a", "cpu: <unknown>/70%", "2", 5])
            #expect(table.json["rows"][0]["object"]["apiVersion"] == "autoscaling/v1")

            // The watch must outlast the patch below, on a busy machine too; it ends with a bookmark.
            let (status, events) = await s.watch(Self.v1, query: [("watch", "true"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", "5")])
            #expect(status == 200)
            let first = try #require(try await events.next(within: 5))
            #expect(first["type"] == "ADDED")
            #expect(first["object"]["apiVersion"] == "autoscaling/v1")
            #expect(first["object"]["spec"]["targetCPUUtilizationPercentage"] == 70)
            _ = try await events.next(within: 5)
            _ = await s.send("PATCH", Self.v2 + "/b", raw: #"{"spec":{"maxReplicas":7}}"#, contentType: "application/merge-patch+json")
            let modified = try #require(try await events.next(within: 5))
            #expect(modified["type"] == "MODIFIED")
            #expect(modified["object"]["apiVersion"] == "autoscaling/v1")
            #expect(modified["object"]["spec"]["maxReplicas"] == 7)
            #expect(modified["object"]["spec"]["targetCPUUtilizationPercentage"] == 55)
            let bookmark = try #require(try await events.next(within: 15))
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark["object"]["apiVersion"] == "autoscaling/v1")
        }
    }

    @Test func patchesThroughV1() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.v1, body: Self.v1Object("p"))
            let merge = await s.send(
                "PATCH", Self.v1 + "/p", raw: #"{"spec":{"targetCPUUtilizationPercentage":50}}"#,
                contentType: "application/merge-patch+json")
            #expect(merge.status == 200)
            #expect(merge.json["apiVersion"] == "autoscaling/v1")
            #expect(merge.json["spec"]["targetCPUUtilizationPercentage"] == 50)

            let json = await s.send(
                "PATCH", Self.v1 + "/p", raw: #"[{"op":"replace","path":"/spec/maxReplicas","value":8}]"#,
                contentType: "application/json-patch+json")
            #expect(json.status == 200)
            #expect(json.json["spec"]["maxReplicas"] == 8)

            let strategic = await s.send(
                "PATCH", Self.v1 + "/p", raw: #"{"spec":{"minReplicas":3}}"#, contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 200)
            #expect(strategic.json["spec"]["minReplicas"] == 3)

            let apply = await s.send(
                "PATCH", Self.v1 + "/p", query: [("fieldManager", "tester"), ("force", "true")],
                raw: #"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"p"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"p"},"maxReplicas":8,"targetCPUUtilizationPercentage":65}}"#,
                contentType: "application/apply-patch+yaml")
            #expect(apply.status == 200)
            #expect(apply.json["apiVersion"] == "autoscaling/v1")
            #expect(apply.json["spec"]["targetCPUUtilizationPercentage"] == 65)

            let asV2 = await s.send("GET", Self.v2 + "/p")
            #expect(asV2.json["spec"]["metrics"] == [Self.cpuMetric(65)])
            #expect(asV2.json["spec"]["minReplicas"] == 3)

            // Apply creates through v1 as well.
            let created = await s.send(
                "PATCH", Self.v1 + "/q", query: [("fieldManager", "tester")],
                raw: #"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"q"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"q"},"maxReplicas":4}}"#,
                contentType: "application/apply-patch+yaml")
            #expect(created.status == 201)
            #expect(created.json["apiVersion"] == "autoscaling/v1")
            #expect(await s.send("GET", Self.v2 + "/q").json["spec"]["metrics"] == [Self.cpuMetric(80)])

            let deleted = await s.send("DELETE", Self.v1 + "/q")
            #expect(deleted.status == 200)
            #expect(deleted.json["apiVersion"] == "autoscaling/v1")
            #expect(await s.send("GET", Self.v2 + "/q").status == 404)
        }
    }

    @Test func statusThroughV1() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.v1, body: Self.v1Object("st"))
            var object = await s.send("GET", Self.v1 + "/st/status").json
            object["status"] = ["currentReplicas": 2, "desiredReplicas": 3, "currentCPUUtilizationPercentage": 91]
            let updated = await s.send("PUT", Self.v1 + "/st/status", body: object)
            #expect(updated.status == 200)
            #expect(updated.json["status"]["currentCPUUtilizationPercentage"] == 91)
            let asV2 = await s.send("GET", Self.v2 + "/st")
            #expect(asV2.json["status"]["desiredReplicas"] == 3)
            #expect(asV2.json["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"] == 91)
        }
    }

    @Test func malformedV1BodiesWriteNothing() async throws {
        try await TestServer.with { s in
            let before = try await s.revision()
            let mistyped = await s.send(
                "POST", Self.v1,
                raw: #"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"m"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"m"},"maxReplicas":"five"}}"#,
                contentType: "application/json")
            #expect(mistyped.status == 400)

            let zeroTarget = await s.send("POST", Self.v1, body: Self.v1Object("m", target: 0))
            #expect(zeroTarget.status == 422)
            #expect(zeroTarget.json["details"]["causes"].array?.map { $0["field"] } == ["spec.targetCPUUtilizationPercentage"])
            #expect(zeroTarget.json["details"]["kind"] == "HorizontalPodAutoscaler")

            let bounds = await s.send("POST", Self.v1, body: Self.v1Object("m", maxReplicas: 1))
            #expect(bounds.status == 422)
            #expect(bounds.json["details"]["causes"].array?.map { $0["field"] } == ["spec.maxReplicas"])

            var badAnnotation = Self.v1Object("m")
            badAnnotation["metadata"]["annotations"] = [Self.metricsAnnotation: "not json"]
            let annotated = await s.send("POST", Self.v1, body: badAnnotation)
            #expect(annotated.status == 422)

            var smuggled = Self.v1Object("m")
            smuggled["metadata"]["annotations"] = [Self.metricsAnnotation: #"[{"type":"Resource","resource":{"name":5}}]"#]
            #expect(await s.send("POST", Self.v1, body: smuggled).status == 400)

            #expect(try await s.revision() == before)
            #expect(await s.send("GET", Self.v2 + "/m").status == 404)

            // An invalid patch of an existing object writes nothing either.
            _ = await s.send("POST", Self.v1, body: Self.v1Object("ok"))
            let stored = try await s.revision()
            let patch = await s.send(
                "PATCH", Self.v1 + "/ok", raw: #"{"spec":{"targetCPUUtilizationPercentage":-5}}"#, contentType: "application/merge-patch+json")
            #expect(patch.status == 422)
            #expect(patch.json["details"]["causes"][0]["field"] == "spec.targetCPUUtilizationPercentage")
            #expect(try await s.revision() == stored)
        }
    }

    @Test func discoveryListsBothVersionsV2Preferred() async throws {
        try await TestServer.with { s in
            let group = await s.send("GET", "/apis/autoscaling")
            #expect(group.json["preferredVersion"]["version"] == "v2")
            #expect(group.json["versions"].array?.map { $0["version"] } == ["v2", "v1"])
            let resources = await s.send("GET", "/apis/autoscaling/v1")
            #expect(resources.json["resources"].array?.map { $0["name"] } == ["horizontalpodautoscalers", "horizontalpodautoscalers/status"])
            let openapi = await s.send("GET", "/openapi/v3/apis/autoscaling/v1")
            #expect(openapi.status == 200)
            #expect(!openapi.json["components"]["schemas"]["io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler"].isNull)
        }
    }
}
