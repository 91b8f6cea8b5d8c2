import FlotillaAPI
import FlotillaCore

/// Serves the paths that are not resources: version, discovery, OpenAPI and health.
public struct NonResourceRoutes: Sendable {
    public let resources: ResourceCatalog
    public let schemas: SchemaCatalog
    /// The discovery documents of `resources`, serialized once.
    public let discovery: DiscoveryDocuments
    private let versionBody: [UInt8]
    private let openAPI: LazyOpenAPIDocuments

    public init(resources: ResourceCatalog = .shared, schemas: SchemaCatalog = .shared) {
        self.resources = resources
        self.schemas = schemas
        self.discovery = DiscoveryDocuments(resources)
        self.versionBody = FlotillaVersion.info.serialized()
        self.openAPI = LazyOpenAPIDocuments(resources: resources, schemas: schemas)
    }

    /// The health endpoints, answered with `ok` and allowed without credentials.
    public static let healthPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

    /// The reply for a non-resource path, or nil when `request.path` is not one of them.
    public func handle(_ request: APIRequest) async -> APIResponse? {
        let path = Self.normalized(request.path)
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else {
            return get(request) { json(rootPaths) }
        }
        switch first {
        case "version" where segments.count == 1:
            return get(request) {
                APIResponse(status: 200, headers: [
                    ("Content-Type", "application/json"), ("Cache-Control", "no-cache, private"),
                ], body: .bytes(versionBody))
            }
        case "healthz", "livez", "readyz":
            guard segments.count == 1 else { return nil }
            return get(request) {
                APIResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")], body: .bytes(Array("ok".utf8)))
            }
        case "api":
            switch segments.count {
            case 1: return get(request) { discoveryReply(request, aggregated: discovery.coreAggregated, legacy: apiVersions(request)) }
            case 2:
                guard let list = discovery.resourceLists[String(segments[1])] else { return notFound(path) }
                return get(request) { json(list) }
            default: return nil
            }
        case "apis":
            switch segments.count {
            case 1: return get(request) { discoveryReply(request, aggregated: discovery.groupsAggregated, legacy: discovery.groupList) }
            case 2:
                guard let group = discovery.groups[String(segments[1])] else { return notFound(path) }
                return get(request) { json(group) }
            case 3:
                guard let list = discovery.resourceLists["\(segments[1])/\(segments[2])"] else { return notFound(path) }
                return get(request) { json(list) }
            default: return nil
            }
        case "openapi":
            if segments.count == 2, segments[1] == "v2" { return get(request) { openAPIV2Reply(request) } }
            guard segments.count >= 2, segments[1] == "v3" else { return get(request) { notFound(path) } }
            return get(request) { openAPIReply(request, segments: segments.dropFirst(2)) }
        default:
            return nil
        }
    }

    /// The path without trailing slashes (the Python client adds them); `/` stays `/`.
    static func normalized(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return String(p)
    }

    /// Runs `reply` for GET and HEAD; other methods get 405.
    private func get(_ request: APIRequest, _ reply: () -> APIResponse) -> APIResponse {
        switch request.method {
        case "GET", "HEAD": return reply()
        default:
            return Self.status(FlotillaError(.methodNotAllowed, "the server does not allow this method on the requested resource"))
        }
    }

    private func discoveryReply(_ request: APIRequest, aggregated: [UInt8], legacy: @autoclosure () -> [UInt8]) -> APIResponse {
        switch DiscoveryFormat.negotiate(accept: request.header("accept")) {
        case .aggregated:
            return APIResponse(status: 200, headers: [("Content-Type", DiscoveryFormat.aggregatedContentType), ("Vary", "Accept")], body: .bytes(aggregated))
        case .legacy:
            return APIResponse(status: 200, headers: [("Content-Type", "application/json"), ("Vary", "Accept")], body: .bytes(legacy()))
        case nil:
            return Self.status(FlotillaError(.notAcceptable, "only the following media types are accepted: application/json, \(DiscoveryFormat.aggregatedContentType)"))
        }
    }

    /// `/openapi/v3` (the index) or `/openapi/v3/<group-version path>` (one document).
    private func openAPIReply(_ request: APIRequest, segments: ArraySlice<Substring>) -> APIResponse {
        let documents = openAPI.documents
        if segments.isEmpty {
            return APIResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")], body: .bytes(documents.index()))
        }
        let documentPath = segments.joined(separator: "/")
        guard let document = documents.document(for: documentPath) else { return notFound(documentPath) }
        // A request naming the current hash may cache the reply for good, as Kubernetes allows.
        let immutable = request.queryValue("hash").map { $0 == documents.hash(for: documentPath) } ?? false
        return APIResponse(status: 200, headers: [
            ("Content-Type", "application/json"), ("Cache-Control", immutable ? "public, immutable" : "no-cache, private"),
        ], body: .bytes(document))
    }

    private func openAPIV2Reply(_ request: APIRequest) -> APIResponse {
        let protobuf = OpenAPIV2Document.wantsProtobuf(accept: request.header("accept"))
        return APIResponse(status: 200, headers: [
            ("Content-Type", protobuf ? OpenAPIV2Document.protobufContentType : "application/json"), ("Vary", "Accept"),
        ], body: .bytes(protobuf ? OpenAPIV2Document.protobuf : OpenAPIV2Document.json))
    }

    /// `/api` as APIVersions; the Python client requires `serverAddressByClientCIDRs`.
    private func apiVersions(_ request: APIRequest) -> [UInt8] {
        let host = request.header("host") ?? "127.0.0.1:6443"
        return JSON.object([
            "kind": "APIVersions",
            "versions": .array(discovery.coreVersions.map { .string($0) }),
            "serverAddressByClientCIDRs": [.object(["clientCIDR": "0.0.0.0/0", "serverAddress": .string(host)])],
        ]).serialized()
    }

    private var rootPaths: [UInt8] {
        var paths = ["/api", "/apis", "/healthz", "/livez", "/metrics", "/openapi/v2", "/openapi/v3", "/readyz", "/version"]
        for v in discovery.coreVersions { paths.append("/api/\(v)") }
        for gv in discovery.resourceLists.keys where gv.contains("/") { paths.append("/apis/\(gv)") }
        for g in discovery.groups.keys { paths.append("/apis/\(g)") }
        return JSON.object(["paths": .array(paths.sorted().map { .string($0) })]).serialized()
    }

    private func json(_ body: [UInt8]) -> APIResponse {
        APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
    }

    private func notFound(_ path: String) -> APIResponse {
        Self.status(FlotillaError(.notFound, "the server could not find the requested resource"))
    }

    /// A Status reply for `error`.
    static func status(_ error: FlotillaError) -> APIResponse {
        APIResponse(status: error.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(error.status.serialized()))
    }
}
