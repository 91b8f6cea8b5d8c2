import FlotillaAPI
import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Non-resource routes: version, discovery, health")
struct NonResourceRoutesTests {
    let routes = NonResourceRoutes(resources: DiscoveryTestCatalog.catalog)
    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    func get(_ path: String, accept: String? = nil, method: String = "GET") async throws -> (APIResponse, JSON?) {
        var headers: [(name: String, value: String)] = []
        if let accept { headers.append(("Accept", accept)) }
        let reply = try #require(await routes.handle(APIRequest(method: method, path: path, headers: headers)))
        guard case .bytes(let body) = reply.body else { Issue.record("expected a complete body"); return (reply, nil) }
        return (reply, try? JSONParser.parse(body))
    }

    @Test func versionHasEveryFieldAndNoCache() async throws {
        let (reply, json) = try await get("/version")
        #expect(reply.status == 200)
        #expect(reply.header("cache-control") == "no-cache, private")
        #expect(reply.header("content-type") == "application/json")
        let info = try #require(json)
        #expect(info["major"].string == "1")
        #expect(info["minor"].string == "32")
        #expect(info["gitVersion"].string == "v1.32.0+flotilla.\(FlotillaVersion.version)")
        for field in ["gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"] {
            #expect(info[field].string?.isEmpty == false, "missing \(field)")
        }
    }

    @Test func aggregatedCoreDiscovery() async throws {
        let (reply, json) = try await get("/api", accept: Self.aggregatedAccept)
        #expect(reply.status == 200)
        #expect(reply.header("content-type") == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let list = try #require(json)
        #expect(list["kind"].string == "APIGroupDiscoveryList")
        #expect(list["apiVersion"].string == "apidiscovery.k8s.io/v2")
        let items = try #require(list["items"].array)
        #expect(items.count == 1)
        let version = items[0]["versions"][0]
        #expect(version["version"].string == "v1")
        #expect(version["freshness"].string == "Current")
        let resources = try #require(version["resources"].array)
        let pods = try #require(resources.first { $0["resource"].string == "pods" })
        #expect(pods["responseKind"] == .object(["group": "", "version": "v1", "kind": "Pod"]))
        #expect(pods["scope"].string == "Namespaced")
        #expect(pods["singularResource"].string == "pod")
        #expect(pods["shortNames"] == ["po"])
        #expect(pods["categories"] == ["all"])
        #expect(pods["verbs"].array?.contains("watch") == true)
        let eviction = try #require(pods["subresources"].array?.first { $0["subresource"].string == "eviction" })
        #expect(eviction["responseKind"] == .object(["group": "policy", "version": "v1", "kind": "Eviction"]))
        #expect(eviction["verbs"] == ["create"])
        let namespaces = try #require(resources.first { $0["resource"].string == "namespaces" })
        #expect(namespaces["scope"].string == "Cluster")
        #expect(namespaces["subresources"].isNull)
    }

    @Test func aggregatedGroupDiscoveryLeavesOutCore() async throws {
        let (reply, json) = try await get("/apis", accept: Self.aggregatedAccept)
        #expect(reply.header("content-type") == DiscoveryFormat.aggregatedContentType)
        let items = try #require(json?["items"].array)
        #expect(items.map { $0["metadata"]["name"].string } == ["apps", "batch"])
        let deployments = items[0]["versions"][0]["resources"][0]
        #expect(deployments["resource"].string == "deployments")
        #expect(deployments["subresources"][0]["responseKind"]["group"].string == "autoscaling")
    }

    @Test func legacyDiscoveryWithoutAcceptOrWithPlainJSON() async throws {
        for accept in [nil, "application/json", "*/*"] as [String?] {
            let (reply, json) = try await get("/api", accept: accept)
            #expect(reply.header("content-type") == "application/json")
            #expect(json?["kind"].string == "APIVersions")
            #expect(json?["versions"] == ["v1"])
            #expect(json?["serverAddressByClientCIDRs"][0]["clientCIDR"].string == "0.0.0.0/0")
        }
        let (_, groups) = try await get("/apis", accept: "application/json")
        #expect(groups?["kind"].string == "APIGroupList")
        #expect(groups?["groups"].array?.map { $0["name"].string } == ["apps", "batch"])
        #expect(groups?["groups"][0]["preferredVersion"] == .object(["groupVersion": "apps/v1", "version": "v1"]))
    }

    @Test func acceptOrderIsHonoured() async throws {
        let (legacyFirst, _) = try await get(
            "/apis", accept: "application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        #expect(legacyFirst.header("content-type") == "application/json")
        let (skipZeroQ, _) = try await get(
            "/apis", accept: "application/json;q=0,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        #expect(skipZeroQ.header("content-type") == DiscoveryFormat.aggregatedContentType)
    }

    @Test func unservableAcceptIs406() async throws {
        let (reply, json) = try await get(
            "/api", accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, application/vnd.kubernetes.protobuf")
        #expect(reply.status == 406)
        #expect(json?["reason"].string == "NotAcceptable")
    }

    @Test func resourceListsCarrySubresourceEntries() async throws {
        let (reply, json) = try await get("/api/v1")
        #expect(reply.status == 200)
        let list = try #require(json)
        #expect(list["kind"].string == "APIResourceList")
        #expect(list["groupVersion"].string == "v1")
        let resources = try #require(list["resources"].array)
        #expect(resources.map { $0["name"].string } == ["pods", "pods/status", "pods/eviction", "namespaces"])
        let pods = resources[0]
        #expect(pods["singularName"].string == "pod")
        #expect(pods["namespaced"] == true)
        #expect(pods["kind"].string == "Pod")
        #expect(pods["shortNames"] == ["po"])
        #expect(pods["categories"] == ["all"])
        let status = resources[1]
        #expect(status["kind"].string == "Pod")
        #expect(status["group"].isNull)
        #expect(status["verbs"] == ["get", "patch", "update"])
        let eviction = resources[2]
        #expect(eviction["group"].string == "policy")
        #expect(eviction["version"].string == "v1")
        #expect(eviction["kind"].string == "Eviction")

        let (_, apps) = try await get("/apis/apps/v1")
        #expect(apps?["groupVersion"].string == "apps/v1")
        #expect(apps?["resources"][1]["name"].string == "deployments/scale")
        #expect(apps?["resources"][1]["group"].string == "autoscaling")
    }

    @Test func apiGroupDocument() async throws {
        let (reply, json) = try await get("/apis/apps")
        #expect(reply.status == 200)
        #expect(json?["kind"].string == "APIGroup")
        #expect(json?["name"].string == "apps")
        #expect(json?["versions"] == [.object(["groupVersion": "apps/v1", "version": "v1"])])
        #expect(json?["preferredVersion"]["groupVersion"].string == "apps/v1")
    }

    @Test func trailingSlashesAreAccepted() async throws {
        #expect(try await get("/version/").1?["minor"].string == "32")
        #expect(try await get("/api/").1?["kind"].string == "APIVersions")
        #expect(try await get("/apis/", accept: Self.aggregatedAccept).0.header("content-type") == DiscoveryFormat.aggregatedContentType)
        #expect(try await get("/api/v1/").1?["kind"].string == "APIResourceList")
        #expect(try await get("/apis/apps/").1?["kind"].string == "APIGroup")
        #expect(try await get("/healthz/").0.status == 200)
    }

    @Test func healthEndpointsSayOk() async throws {
        for path in ["/healthz", "/livez", "/readyz"] {
            let reply = try #require(await routes.handle(APIRequest(method: "GET", path: path)))
            #expect(reply.status == 200)
            guard case .bytes(let body) = reply.body else { Issue.record("stream"); continue }
            #expect(String(decoding: body, as: UTF8.self) == "ok")
        }
    }

    @Test func unknownGroupsAndVersionsAre404() async throws {
        #expect(try await get("/apis/nosuch.example.com").0.status == 404)
        #expect(try await get("/apis/apps/v2").0.status == 404)
        #expect(try await get("/api/v2").0.status == 404)
        let (reply, json) = try await get("/openapi/v4")
        #expect(reply.status == 404)
        #expect(json?["reason"].string == "NotFound")
    }

    @Test func resourcePathsAreNotOurs() async throws {
        #expect(await routes.handle(APIRequest(method: "GET", path: "/api/v1/pods")) == nil)
        #expect(await routes.handle(APIRequest(method: "GET", path: "/apis/apps/v1/namespaces/default/deployments")) == nil)
        #expect(await routes.handle(APIRequest(method: "GET", path: "/metrics")) == nil)
        #expect(await routes.handle(APIRequest(method: "GET", path: "/healthz/etcd")) == nil)
    }

    @Test func openAPIV2IsAnEmptyDocumentInProtobufOrJSON() async throws {
        let (json, parsed) = try await get("/openapi/v2", accept: "application/json")
        #expect(json.status == 200)
        #expect(parsed?["swagger"].string == "2.0")
        #expect(parsed?["definitions"] == .emptyObject)

        let headers: [(name: String, value: String)] = [("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")]
        let reply = try #require(await routes.handle(APIRequest(method: "GET", path: "/openapi/v2", headers: headers)))
        #expect(reply.header("content-type") == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        guard case .bytes(let body) = reply.body else { Issue.record("expected a complete body"); return }
        // Field 1 (swagger, length-delimited): tag 0x0a, length 3, "2.0".
        #expect(Array(body.prefix(5)) == [0x0a, 3] + Array("2.0".utf8))
        #expect(try await get("/openapi/v2", method: "PUT").0.status == 405)
    }

    @Test func writesToDiscoveryAre405() async throws {
        let (reply, json) = try await get("/version", method: "POST")
        #expect(reply.status == 405)
        #expect(json?["reason"].string == "MethodNotAllowed")
        #expect(try await get("/api", method: "DELETE").0.status == 405)
    }

    @Test func negotiation() {
        #expect(DiscoveryFormat.negotiate(accept: nil) == .legacy)
        #expect(DiscoveryFormat.negotiate(accept: "") == .legacy)
        #expect(DiscoveryFormat.negotiate(accept: "application/json;as=Table;v=v1;g=meta.k8s.io") == nil)
        #expect(DiscoveryFormat.negotiate(accept: " application/json ; g=apidiscovery.k8s.io ; v=v2 ; as=APIGroupDiscoveryList") == .aggregated)
        #expect(DiscoveryFormat.negotiate(accept: "text/html, application/*") == .legacy)
        #expect(DiscoveryFormat.negotiate(accept: ";;,,=") == nil)
        #expect(DiscoveryFormat.negotiate(accept: "application/json;q=abc") == .legacy)
    }
}

@Suite("OpenAPI v3 routes")
struct OpenAPIRoutesTests {
    let routes = NonResourceRoutes(resources: DiscoveryTestCatalog.catalog)

    func get(_ path: String, query: [(name: String, value: String)] = []) async throws -> (APIResponse, JSON) {
        let reply = try #require(await routes.handle(APIRequest(method: "GET", path: path, query: query)))
        guard case .bytes(let body) = reply.body else { throw FlotillaError(.internalError, "stream") }
        return (reply, try JSONParser.parse(body))
    }

    @Test func indexListsEveryGroupVersionAndDocumentsAreServed() async throws {
        let (reply, index) = try await get("/openapi/v3")
        #expect(reply.status == 200)
        #expect(reply.header("content-type") == "application/json")
        let paths = try #require(index["paths"].object)
        #expect(Set(paths.keys) == ["api/v1", "apis/apps/v1", "apis/batch/v1"])
        let url = try #require(paths["apis/apps/v1"]?["serverRelativeURL"].string)
        #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
        let hash = String(url.split(separator: "=").last ?? "")

        let (document, body) = try await get("/openapi/v3/apis/apps/v1", query: [("hash", hash)])
        #expect(document.status == 200)
        #expect(document.header("cache-control") == "public, immutable")
        #expect(body["openapi"].string?.hasPrefix("3.") == true)
        let (unhashed, _) = try await get("/openapi/v3/api/v1/")
        #expect(unhashed.header("cache-control") == "no-cache, private")
    }

    @Test func unknownDocumentsAre404() async throws {
        #expect(try await get("/openapi/v3/apis/nosuch/v1").0.status == 404)
        #expect(try await get("/openapi/v2/extra").0.status == 404)
        #expect(try await get("/openapi").0.status == 404)
    }
}
