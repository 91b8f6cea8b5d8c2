import FlotillaAPI
import FlotillaCore

/// A client of the Kubernetes REST API over any ``ClientTransport``: objects are ``JSON``
/// values, resources are addressed by ``ResourceRef``.
///
/// Every failure is a ``FlotillaError``: a non-2xx reply becomes the error its `Status`
/// describes (`.notFound`, `.conflict`, `.invalid` with causes, `.expired` for 410, …).
///
/// ```swift
/// let client = KubernetesClient(transport: InProcessTransport(handler: server, user: "system:kube-scheduler"))
/// let pods = try await client.list(.pods, namespace: "default", fieldSelector: "spec.nodeName=")
/// try await client.bind(pod: "web-1", namespace: "default", to: "node-a")
/// ```
public struct KubernetesClient: Sendable {
    public let transport: any ClientTransport

    public init(transport: any ClientTransport) {
        self.transport = transport
    }

    // MARK: - Reads

    /// The object `name` (in `namespace` for namespaced resources).
    public func get(_ resource: ResourceRef, namespace: String? = nil, name: String) async throws -> JSON {
        try await call("GET", resource.objectPath(namespace: try requireNamespace(resource, namespace), name: name))
    }

    /// One page of objects (all namespaces when `namespace` is nil).
    ///
    /// - Parameters:
    ///   - labelSelector: e.g. `app=web,tier!=cache`.
    ///   - fieldSelector: e.g. `spec.nodeName=node-a`.
    ///   - limit: the page size; the reply's ``ObjectList/continue`` fetches the next page.
    ///   - resourceVersion: `"0"` lets the server answer from any recent state.
    public func list(
        _ resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, limit: Int? = nil, continue continueToken: String? = nil,
        resourceVersion: String? = nil
    ) async throws -> ObjectList {
        var query: [(name: String, value: String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        let reply = try await call("GET", resource.collectionPath(namespace: namespace), query: query)
        return try ObjectList(listObject: reply)
    }

    /// Every object, fetched in pages of `pageSize`; the result's resourceVersion is the first
    /// page's, so a watch from it misses nothing.
    public func listAll(
        _ resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, pageSize: Int = 500, resourceVersion: String? = nil
    ) async throws -> ObjectList {
        var page = try await list(
            resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            limit: pageSize, resourceVersion: resourceVersion)
        var all = ObjectList(items: page.items, resourceVersion: page.resourceVersion)
        while let token = page.continue {
            // A continue token fixes the snapshot; resourceVersion must not be sent with it.
            page = try await list(
                resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                limit: pageSize, continue: token)
            all.items += page.items
        }
        return all
    }

    // MARK: - Writes

    /// Creates `object`; its namespace comes from `namespace` or else its `metadata.namespace`.
    /// Returns the object as stored.
    public func create(
        _ resource: ResourceRef, namespace: String? = nil, _ object: JSON, dryRun: Bool = false,
        fieldManager: String? = nil
    ) async throws -> JSON {
        let ns = try requireNamespace(resource, namespace ?? object[path: ["metadata", "namespace"]].string)
        return try await call(
            "POST", resource.collectionPath(namespace: ns),
            query: writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: object)
    }

    /// Replaces the object named by `object.metadata` (its resourceVersion makes this a
    /// compare-and-swap: a stale one is a `.conflict`).
    public func update(
        _ resource: ResourceRef, _ object: JSON, dryRun: Bool = false, fieldManager: String? = nil
    ) async throws -> JSON {
        let (ns, name) = try address(resource, object)
        return try await call(
            "PUT", resource.objectPath(namespace: ns, name: name),
            query: writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: object)
    }

    /// Replaces the `status` of the object named by `object.metadata` through the status subresource.
    public func updateStatus(
        _ resource: ResourceRef, _ object: JSON, dryRun: Bool = false, fieldManager: String? = nil
    ) async throws -> JSON {
        let (ns, name) = try address(resource, object)
        return try await call(
            "PUT", resource.objectPath(namespace: ns, name: name, subresource: "status"),
            query: writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: object)
    }

    /// Patches an object (or one of its subresources); returns the patched object, or `.null`
    /// when `decodingReply` is false (for a caller with no use for it, whose reply is not parsed).
    ///
    /// For `.apply`, `fieldManager` is required and `force` takes over fields other managers own.
    @discardableResult
    public func patch(
        _ resource: ResourceRef, namespace: String? = nil, name: String, _ patch: JSON, type: PatchType,
        subresource: String? = nil, fieldManager: String? = nil, force: Bool = false, dryRun: Bool = false,
        decodingReply: Bool = true
    ) async throws -> JSON {
        if type == .apply && (fieldManager ?? "").isEmpty {
            throw FlotillaError(.badRequest, "server-side apply needs a field manager")
        }
        var query = writeQuery(dryRun: dryRun, fieldManager: fieldManager)
        if force { query.append(("force", "true")) }
        let path = resource.objectPath(
            namespace: try requireNamespace(resource, namespace), name: name, subresource: subresource)
        return try await call("PATCH", path, query: query, body: patch, contentType: type.contentType, decodingReply: decodingReply)
    }

    /// Deletes an object. Returns the object when deletion is pending (finalizers, grace
    /// period) or the server's success `Status` when it is gone; `.null` when `decodingReply`
    /// is false (the reply is then not parsed).
    @discardableResult
    public func delete(
        _ resource: ResourceRef, namespace: String? = nil, name: String,
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil,
        preconditions: Preconditions? = nil, dryRun: Bool = false, decodingReply: Bool = true
    ) async throws -> JSON {
        let options = DeleteOptions(
            propagationPolicy: propagationPolicy, gracePeriodSeconds: gracePeriodSeconds,
            preconditions: preconditions, dryRun: dryRun)
        let path = resource.objectPath(namespace: try requireNamespace(resource, namespace), name: name)
        return try await call("DELETE", path, body: options.json, decodingReply: decodingReply)
    }

    /// Deletes every object matching the selectors; returns the list of what was deleted.
    @discardableResult
    public func deleteCollection(
        _ resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, propagationPolicy: PropagationPolicy? = nil
    ) async throws -> JSON {
        var query: [(name: String, value: String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        let options = DeleteOptions(propagationPolicy: propagationPolicy)
        return try await call("DELETE", resource.collectionPath(namespace: namespace), query: query, body: options.json)
    }

    // MARK: - Plumbing

    /// Sends one request and returns the decoded JSON body of a 2xx reply (`.null` without
    /// `decodingReply`), or throws the error a non-2xx reply describes.
    public func call(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: JSON? = nil,
        contentType: String = "application/json", decodingReply: Bool = true
    ) async throws -> JSON {
        var headers: [(name: String, value: String)] = [("accept", "application/json")]
        if body != nil { headers.append(("content-type", contentType)) }
        let request = APIRequest(method: method, path: path, query: query, headers: headers, object: body)
        let response = try await transport.send(request)
        if (200..<300).contains(response.status), case .object(let object) = response.body { return object }
        let bytes = try await Self.collect(response.body)
        guard (200..<300).contains(response.status) else {
            throw FlotillaError(httpStatus: response.status, body: bytes)
        }
        if bytes.isEmpty || !decodingReply { return .null }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw FlotillaError(.internalError, "\(method) \(path): the reply is not JSON: \(error)")
        }
    }

    /// The whole of a reply body.
    static func collect(_ body: APIResponse.Body) async throws -> [UInt8] {
        switch body {
        case .bytes(let bytes):
            return bytes
        case .object(let object):
            return object.serialized()
        case .stream(let chunks):
            var all: [UInt8] = []
            for try await chunk in chunks { all += chunk }
            return all
        case .events(let events):
            var all: [UInt8] = []
            for try await event in events { all += event.line }
            return all
        }
    }

    private func writeQuery(dryRun: Bool, fieldManager: String?) -> [(name: String, value: String)] {
        var query: [(name: String, value: String)] = []
        if dryRun { query.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { query.append(("fieldManager", fieldManager)) }
        return query
    }

    /// The namespace to use for `resource`: nil for cluster-scoped ones; required for namespaced ones.
    func requireNamespace(_ resource: ResourceRef, _ namespace: String?) throws -> String? {
        guard resource.namespaced else { return nil }
        guard let namespace, !namespace.isEmpty else {
            throw FlotillaError(.badRequest, "\(resource) are namespaced: a namespace is required")
        }
        return namespace
    }

    /// The namespace and name an object's metadata gives.
    private func address(_ resource: ResourceRef, _ object: JSON) throws -> (String?, String) {
        guard let name = object[path: ["metadata", "name"]].string, !name.isEmpty else {
            throw FlotillaError(.badRequest, "the \(resource.kind) has no metadata.name")
        }
        return (try requireNamespace(resource, object[path: ["metadata", "namespace"]].string), name)
    }
}
