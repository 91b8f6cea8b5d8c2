import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Testing

/// Records requests and answers each with a fixed reply.
final class RecordingTransport: ClientTransport {
    let requests = LockedBox<[APIRequest]>([])
    let reply: @Sendable (APIRequest) -> APIResponse

    init(reply: @escaping @Sendable (APIRequest) -> APIResponse) {
        self.reply = reply
    }

    func send(_ request: APIRequest) async throws -> APIResponse {
        requests.with { $0.append(request) }
        return reply(request)
    }

    var last: APIRequest? { requests.with { $0.last } }

    static func json(_ status: Int, _ body: JSON) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(body.serialized()))
    }
}

@Suite struct ClientRequestTests {
    let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "namespace": "prod"]]

    @Test func paths() {
        #expect(ResourceRef.pods.collectionPath(namespace: "default") == "/api/v1/namespaces/default/pods")
        #expect(ResourceRef.pods.collectionPath(namespace: nil) == "/api/v1/pods")
        #expect(ResourceRef.deployments.objectPath(namespace: "a", name: "d", subresource: "scale") == "/apis/apps/v1/namespaces/a/deployments/d/scale")
        #expect(ResourceRef.nodes.objectPath(namespace: "ignored", name: "n1") == "/api/v1/nodes/n1")
        #expect(ResourceRef.configMaps.objectPath(namespace: "a", name: "x/y z") == "/api/v1/namespaces/a/configmaps/x%2Fy%20z")
        #expect(ResourceRef.leases.description == "leases.coordination.k8s.io")
        #expect(ResourceRef.jobs.apiVersion == "batch/v1")
    }

    @Test func refFromCatalogDefinition() throws {
        let definition = ResourceDefinition(
            group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
            schema: "io.k8s.api.apps.v1.Deployment")
        #expect(ResourceRef(definition) == .deployments)
        let catalog = ResourceCatalog([definition])
        #expect(ResourceRef(group: "apps", version: "v1", plural: "deployments", catalog: catalog) == .deployments)
        #expect(ResourceRef(GroupVersionKind("apps", "v1", "Deployment"), catalog: catalog) == .deployments)
        #expect(ResourceRef(group: "apps", version: "v1", plural: "widgets", catalog: catalog) == nil)
        #expect(ResourceRef(group: "coordination.k8s.io", version: "v1", plural: "leases") == .leases)
    }

    @Test func createTakesTheNamespaceFromTheObjectAndSendsJSON() async throws {
        let transport = RecordingTransport { request in RecordingTransport.json(201, request.object ?? .null) }
        let client = KubernetesClient(transport: transport)
        let created = try await client.create(.pods, pod, dryRun: true, fieldManager: "tests")
        #expect(created == pod)
        let request = try #require(transport.last)
        #expect(request.method == "POST")
        #expect(request.path == "/api/v1/namespaces/prod/pods")
        #expect(request.header("content-type") == "application/json")
        #expect(request.queryValue("dryRun") == "All")
        #expect(request.queryValue("fieldManager") == "tests")
    }

    @Test func namespacedResourcesNeedANamespace() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, [:]) }
        let client = KubernetesClient(transport: transport)
        let error = await #expect(throws: FlotillaError.self) { try await client.get(.pods, name: "web") }
        #expect(error?.code == .badRequest)
        let noName = await #expect(throws: FlotillaError.self) { try await client.update(.pods, ["metadata": ["namespace": "a"]]) }
        #expect(noName?.code == .badRequest)
        #expect(transport.requests.with { $0.isEmpty })
    }

    @Test func updateAndUpdateStatusAddressTheObject() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, [:]) }
        let client = KubernetesClient(transport: transport)
        _ = try await client.update(.pods, pod)
        #expect(transport.last?.method == "PUT")
        #expect(transport.last?.path == "/api/v1/namespaces/prod/pods/web")
        _ = try await client.updateStatus(.pods, pod)
        #expect(transport.last?.path == "/api/v1/namespaces/prod/pods/web/status")
    }

    @Test func listSendsSelectorsAndReadsTheListMetadata() async throws {
        let transport = RecordingTransport { _ in
            RecordingTransport.json(200, [
                "kind": "PodList", "apiVersion": "v1",
                "metadata": ["resourceVersion": "42", "continue": "tok", "remainingItemCount": 3],
                "items": [["metadata": ["name": "a"]]],
            ])
        }
        let client = KubernetesClient(transport: transport)
        let list = try await client.list(
            .pods, namespace: "prod", labelSelector: "app=web,tier!=db", fieldSelector: "spec.nodeName=n1", limit: 1,
            resourceVersion: "0")
        #expect(list.items.count == 1)
        #expect(list.resourceVersion == "42")
        #expect(list.continue == "tok")
        #expect(list.remainingItemCount == 3)
        let request = try #require(transport.last)
        #expect(request.queryValue("labelSelector") == "app=web,tier!=db")
        #expect(request.queryValue("fieldSelector") == "spec.nodeName=n1")
        #expect(request.queryValue("limit") == "1")
        #expect(request.queryValue("resourceVersion") == "0")
    }

    @Test func listAllFollowsContinueTokensWithoutResourceVersion() async throws {
        let transport = RecordingTransport { request in
            let page = request.queryValue("continue") == nil ? 1 : Int(request.queryValue("continue")!)!
            let next: JSON = page < 3 ? .string(String(page + 1)) : .null
            return RecordingTransport.json(200, [
                "kind": "PodList", "metadata": ["resourceVersion": .string("rv\(page)"), "continue": next],
                "items": [["metadata": ["name": .string("p\(page)")]]],
            ])
        }
        let client = KubernetesClient(transport: transport)
        let all = try await client.listAll(.pods, pageSize: 1, resourceVersion: "0")
        #expect(all.items.map { $0[path: ["metadata", "name"]].string } == ["p1", "p2", "p3"])
        #expect(all.resourceVersion == "rv1")
        #expect(all.continue == nil)
        let requests = transport.requests.with { $0 }
        #expect(requests.count == 3)
        #expect(requests[0].queryValue("resourceVersion") == "0")
        #expect(requests[1].queryValue("resourceVersion") == nil)
        #expect(requests[2].queryValue("continue") == "3")
    }

    @Test func patchTypesSetTheContentType() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, [:]) }
        let client = KubernetesClient(transport: transport)
        let expected: [(PatchType, String)] = [
            (.merge, "application/merge-patch+json"), (.json, "application/json-patch+json"),
            (.strategic, "application/strategic-merge-patch+json"), (.apply, "application/apply-patch+yaml"),
        ]
        for (type, contentType) in expected {
            _ = try await client.patch(.pods, namespace: "a", name: "p", ["x": 1], type: type, fieldManager: "m", force: type == .apply)
            #expect(transport.last?.method == "PATCH")
            #expect(transport.last?.header("content-type") == contentType)
        }
        #expect(transport.last?.queryValue("force") == "true")
        #expect(transport.last?.queryValue("fieldManager") == "m")
        let error = await #expect(throws: FlotillaError.self) {
            try await client.patch(.pods, namespace: "a", name: "p", [:], type: .apply)
        }
        #expect(error?.code == .badRequest)
    }

    @Test func deleteSendsDeleteOptions() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(200, ["kind": "Status", "status": "Success"]) }
        let client = KubernetesClient(transport: transport)
        try await client.delete(
            .deployments, namespace: "a", name: "d", propagationPolicy: .orphan, gracePeriodSeconds: 0,
            preconditions: Preconditions(uid: "u-1", resourceVersion: "7"))
        let request = try #require(transport.last)
        #expect(request.method == "DELETE")
        #expect(request.path == "/apis/apps/v1/namespaces/a/deployments/d")
        let body = try #require(request.object)
        #expect(body["kind"] == "DeleteOptions")
        #expect(body["propagationPolicy"] == "Orphan")
        #expect(body["gracePeriodSeconds"] == 0)
        #expect(body["preconditions"] == ["uid": "u-1", "resourceVersion": "7"])
    }

    @Test func subresourceHelpers() async throws {
        let transport = RecordingTransport { _ in RecordingTransport.json(201, ["kind": "Status", "status": "Success"]) }
        let client = KubernetesClient(transport: transport)
        try await client.bind(pod: "web", namespace: "prod", to: "node-a")
        var request = try #require(transport.last)
        #expect(request.path == "/api/v1/namespaces/prod/pods/web/binding")
        var body = try #require(request.object)
        #expect(body["kind"] == "Binding")
        #expect(body["target"] == ["apiVersion": "v1", "kind": "Node", "name": "node-a"])

        try await client.evict(pod: "web", namespace: "prod", options: DeleteOptions(gracePeriodSeconds: 5))
        request = try #require(transport.last)
        #expect(request.path == "/api/v1/namespaces/prod/pods/web/eviction")
        body = try #require(request.object)
        #expect(body["apiVersion"] == "policy/v1")
        #expect(body["deleteOptions"]["gracePeriodSeconds"] == 5)

        try await client.scale(.deployments, namespace: "prod", name: "web", replicas: 4)
        request = try #require(transport.last)
        #expect(request.method == "PATCH")
        #expect(request.path == "/apis/apps/v1/namespaces/prod/deployments/web/scale")
        #expect(request.object == ["spec": ["replicas": 4]])
    }

    @Test func errorRepliesBecomeTheirStatus() async throws {
        let status: JSON = [
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Invalid", "code": 422,
            "message": "Pod \"web\" is invalid: spec.containers[0].image: Required value",
            "details": [
                "name": "web", "kind": "Pod",
                "causes": [["reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers[0].image"]],
            ],
        ]
        let transport = RecordingTransport { _ in RecordingTransport.json(422, status) }
        let client = KubernetesClient(transport: transport)
        let error = await #expect(throws: FlotillaError.self) { try await client.create(.pods, pod) }
        #expect(error?.code == .invalid)
        #expect(error?.name == "web")
        #expect(error?.causes == [FlotillaError.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.containers[0].image")])
        // The error round-trips to the same Status.
        #expect(error?.status["details"] == status["details"])
    }

    @Test(arguments: [
        (404, "", FlotillaError.Code.notFound), (409, "not json", .conflict), (410, "", .expired),
        (500, "<html>", .internalError), (503, "", .serviceUnavailable), (401, "", .unauthorized),
    ])
    func errorRepliesWithoutStatusUseTheHTTPCode(status: Int, body: String, code: FlotillaError.Code) async throws {
        let transport = RecordingTransport { _ in APIResponse(status: status, body: .bytes(Array(body.utf8))) }
        let client = KubernetesClient(transport: transport)
        let error = await #expect(throws: FlotillaError.self) { try await client.get(.nodes, name: "n") }
        #expect(error?.code == code)
    }

    @Test func aNonJSONSuccessIsAnError() async throws {
        let transport = RecordingTransport { _ in APIResponse(status: 200, body: .bytes(Array("<html>".utf8))) }
        let client = KubernetesClient(transport: transport)
        let error = await #expect(throws: FlotillaError.self) { try await client.get(.nodes, name: "n") }
        #expect(error?.code == .internalError)
    }

    @Test func anObjectReplyIsTakenAsItIs() async throws {
        let transport = RecordingTransport { request in
            request.path.hasSuffix("/missing")
                ? APIResponse(status: 404, body: .object(["kind": "Status", "reason": "NotFound", "message": "pods \"missing\" not found", "code": 404]))
                : APIResponse(status: 200, body: .object(["kind": "Pod", "metadata": ["name": "web"]]))
        }
        let client = KubernetesClient(transport: transport)
        #expect(try await client.get(.pods, namespace: "prod", name: "web") == ["kind": "Pod", "metadata": ["name": "web"]])
        let error = await #expect(throws: FlotillaError.self) { try await client.get(.pods, namespace: "prod", name: "missing") }
        #expect(error?.code == .notFound)
        #expect(error?.message == "pods \"missing\" not found")
    }

    @Test func aReplyNotWantedIsNotParsed() async throws {
        let transport = RecordingTransport { _ in APIResponse(status: 200, body: .bytes(Array("<html>".utf8))) }
        let client = KubernetesClient(transport: transport)
        let reply = try await client.patch(.pods, namespace: "a", name: "p", ["x": 1], type: .merge, decodingReply: false)
        #expect(reply == .null)
        #expect(transport.last?.object == ["x": 1])
        let deleted = try await client.delete(.pods, namespace: "a", name: "p", gracePeriodSeconds: 0, decodingReply: false)
        #expect(deleted == .null)
        #expect(transport.last?.method == "DELETE")
    }

    @Test func inProcessTransportStampsTheUser() async throws {
        struct Echo: APIHandler {
            func handle(_ request: APIRequest) async -> APIResponse {
                RecordingTransport.json(200, ["user": .string(request.user ?? "")])
            }
        }
        let client = KubernetesClient(transport: InProcessTransport(handler: Echo(), user: "system:kube-scheduler"))
        #expect(try await client.call("GET", "/api") == ["user": "system:kube-scheduler"])
    }

    @Test func typedAccessDecodesWithJSONDecoder() async throws {
        struct PodView: Codable, Equatable {
            struct Meta: Codable, Equatable { var name: String; var namespace: String }
            var metadata: Meta
        }
        let transport = RecordingTransport { _ in
            RecordingTransport.json(200, ["kind": "Pod", "metadata": ["name": "web", "namespace": "prod", "uid": "x"]])
        }
        let client = KubernetesClient(transport: transport)
        let view = try await client.get(PodView.self, .pods, namespace: "prod", name: "web")
        #expect(view == PodView(metadata: .init(name: "web", namespace: "prod")))
        #expect(try KubernetesClient.encode(view) == ["metadata": ["name": "web", "namespace": "prod"]])

        struct Wrong: Decodable { var spec: [String: Int] }
        let error = await #expect(throws: FlotillaError.self) { try await client.get(Wrong.self, .pods, namespace: "prod", name: "web") }
        #expect(error?.message.contains("Pod \"web\"") == true)
    }
}
