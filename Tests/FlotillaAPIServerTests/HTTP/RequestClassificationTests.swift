import FlotillaAPI
import Testing

@testable import FlotillaAPIServer

@Suite("Request target decoding and request classification")
struct RequestClassificationTests {
    @Test func percentDecoding() {
        let target = RequestTarget(rawPath: "/api/v1/namespaces/a%2Db/pods", rawQuery: "fieldSelector=status.phase%21%3DRunning&a=1+2&&b&=c&%E2%9C%93=ok")
        #expect(target.path == "/api/v1/namespaces/a-b/pods")
        #expect(target.query.map { "\($0.name)=\($0.value)" } == ["fieldSelector=status.phase!=Running", "a=1 2", "b=", "=c", "✓=ok"])
        #expect(RequestTarget(rawPath: "/a+b", rawQuery: nil).path == "/a+b")
        #expect(RequestTarget(rawPath: "/bad%", rawQuery: "x=%4").query.first?.value == "%4")
        #expect(RequestTarget(rawPath: "/bad%", rawQuery: "").path == "/bad%")
    }

    func info(_ method: String, _ path: String, _ query: [(String, String)] = [], contentType: String? = nil) -> RequestInfo {
        RequestInfo(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, contentType: contentType)
    }

    @Test func verbsLikeKubernetes() {
        #expect(info("GET", "/api/v1/namespaces/default/pods") == RequestInfo(verb: "LIST", resource: "pods"))
        #expect(info("GET", "/api/v1/pods") == RequestInfo(verb: "LIST", resource: "pods"))
        #expect(info("GET", "/api/v1/namespaces/default/pods/p1") == RequestInfo(verb: "GET", resource: "pods"))
        #expect(info("GET", "/api/v1/namespaces/default/pods", [("watch", "true")]) == RequestInfo(verb: "WATCH", resource: "pods"))
        #expect(info("GET", "/apis/apps/v1/deployments", [("watch", "1")]) == RequestInfo(verb: "WATCH", resource: "deployments"))
        #expect(info("GET", "/apis/apps/v1/deployments", [("watch", "false")]).verb == "LIST")
        #expect(info("POST", "/api/v1/namespaces/default/pods") == RequestInfo(verb: "POST", resource: "pods"))
        #expect(info("PUT", "/api/v1/namespaces/default/pods/p1/status") == RequestInfo(verb: "PUT", resource: "pods", subresource: "status"))
        #expect(info("PATCH", "/apis/apps/v1/namespaces/d/deployments/x/scale", contentType: "application/merge-patch+json")
            == RequestInfo(verb: "PATCH", resource: "deployments", subresource: "scale"))
        #expect(info("PATCH", "/api/v1/namespaces/default/configmaps/c", contentType: "application/apply-patch+yaml").verb == "APPLY")
        #expect(info("DELETE", "/api/v1/namespaces/default/pods/p1").verb == "DELETE")
        #expect(info("DELETE", "/api/v1/namespaces/default/pods").verb == "DELETECOLLECTION")
        #expect(info("GET", "/api/v1/namespaces/default/pods/p1/exec") == RequestInfo(verb: "CONNECT", resource: "pods", subresource: "exec"))
    }

    @Test func namespacesAndTheirSubresources() {
        #expect(info("GET", "/api/v1/namespaces") == RequestInfo(verb: "LIST", resource: "namespaces"))
        #expect(info("GET", "/api/v1/namespaces/kube-system") == RequestInfo(verb: "GET", resource: "namespaces"))
        #expect(info("PUT", "/api/v1/namespaces/x/finalize") == RequestInfo(verb: "PUT", resource: "namespaces", subresource: "finalize"))
        #expect(info("GET", "/api/v1/namespaces/x/status") == RequestInfo(verb: "GET", resource: "namespaces", subresource: "status"))
    }

    @Test func nonResourcePaths() {
        for path in ["/", "/api", "/apis", "/apis/apps", "/api/v1", "/apis/apps/v1", "/version", "/healthz", "/metrics", "/openapi/v3"] {
            let i = info("GET", path)
            #expect(i.verb == "GET")
            #expect(!i.isResourceRequest, "\(path)")
        }
    }
}
