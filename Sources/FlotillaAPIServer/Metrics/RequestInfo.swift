import FlotillaAPI

/// What a request does, in the terms of Kubernetes' request metrics: its verb (GET on a
/// collection is LIST, `watch=true` is WATCH, …) and the resource it addresses.
public struct RequestInfo: Sendable, Equatable {
    /// `GET`, `LIST`, `WATCH`, `POST`, `PUT`, `PATCH`, `APPLY`, `DELETE`, `DELETECOLLECTION`,
    /// `CONNECT`, or the HTTP method for non-resource paths.
    public var verb: String
    /// The plural resource, e.g. `pods`; empty for non-resource paths.
    public var resource: String
    /// The subresource, e.g. `status`; empty when none.
    public var subresource: String
    /// Whether the path addresses a resource (under `/api/v1` or `/apis/<group>/<version>`).
    public var isResourceRequest: Bool { !resource.isEmpty }

    public init(verb: String, resource: String = "", subresource: String = "") {
        self.verb = verb
        self.resource = resource
        self.subresource = subresource
    }

    /// The subresources reached by a connection upgrade or a proxy: `CONNECT` in Kubernetes' metrics.
    static let connectSubresources: Set<String> = ["exec", "attach", "portforward", "proxy"]

    /// Classifies `request` by its method, path and query.
    public init(_ request: APIRequest) {
        self.init(method: request.method, path: request.path, query: request.query, contentType: request.header("content-type"))
    }

    /// Classifies a request from its parts.
    public init(method: String, path: String, query: [(name: String, value: String)], contentType: String?) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)[...]
        let method = method.uppercased()
        switch parts.first {
        case "api" where parts.count >= 2:
            parts = parts.dropFirst(2)
        case "apis" where parts.count >= 3:
            parts = parts.dropFirst(3)
        default:
            self.init(verb: method)
            return
        }
        guard !parts.isEmpty else {
            self.init(verb: method)
            return
        }
        if parts.first == "namespaces", parts.count > 2, parts[parts.startIndex + 2] != "status", parts[parts.startIndex + 2] != "finalize" {
            parts = parts.dropFirst(2)
        }
        let resource = String(parts[parts.startIndex])
        let hasName = parts.count >= 2
        let subresource = parts.count >= 3 ? String(parts[parts.startIndex + 2]) : ""
        let watch = query.contains { $0.name == "watch" && ($0.value == "true" || $0.value == "1") }

        let verb: String
        switch method {
        case "GET", "HEAD":
            if Self.connectSubresources.contains(subresource) { verb = "CONNECT" }
            else if watch { verb = "WATCH" }
            else { verb = hasName ? "GET" : "LIST" }
        case "POST":
            verb = Self.connectSubresources.contains(subresource) ? "CONNECT" : "POST"
        case "PATCH":
            verb = contentType?.lowercased().hasPrefix("application/apply-patch") == true ? "APPLY" : "PATCH"
        case "DELETE":
            verb = hasName ? "DELETE" : "DELETECOLLECTION"
        default:
            verb = method
        }
        self.init(verb: verb, resource: resource, subresource: subresource)
    }
}
