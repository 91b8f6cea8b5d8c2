import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// One page of a collection as read from the store.
struct CollectionPage: Sendable {
    var items: [ObjectVersion]
    /// The parsed objects of `items`, when filtering needed them.
    var parsed: [JSON]?
    var revision: Int64
    var continueToken: String?
    var remaining: Int64?
}

extension APIServer {
    /// `GET` of one object.
    func get(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let version = try await read(path.resource, namespace: path.namespace, name: name)
        return try reply(version, status: 200, resource: path.resource, request)
    }

    /// The stored version of an object; 404 when absent.
    func read(_ resource: ResourceDefinition, namespace: String?, name: String) async throws -> ObjectVersion {
        guard let kv = try await store.get(StorageKeys.key(resource, namespace: namespace, name: name)) else {
            throw FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
        }
        return ObjectVersion(kv)
    }

    /// `GET` of a collection: a `<Kind>List`, a Table or a `PartialObjectMetadataList`.
    func list(_ path: ResourcePath, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        let filter = try ObjectFilter(request, resource: resource)
        let format = ResponseFormat.negotiate(request)
        let page = try await readCollection(resource, namespace: path.namespace, request, filter: filter, parse: format != .object)
        switch format {
        case .object:
            var out: [UInt8] = []
            out.reserveCapacity(page.items.reduce(128) { $0 + $1.stored.count + 32 })
            out.append(contentsOf: "{\"kind\":\"\(resource.listKind)\",\"apiVersion\":\"\(resource.apiVersion)\",\"metadata\":".utf8)
            listMetadata(page).write(into: &out)
            out.append(contentsOf: ",\"items\":[".utf8)
            for (n, item) in page.items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: try VersionConversion.served(item, as: resource).servedBytes)
            }
            out.append(contentsOf: "]}".utf8)
            return Replies.json(200, out)
        case .table(let v):
            let renderer = try TableRenderer(resource: resource, version: v, request: request)
            let table = renderer.table(
                try objects(of: page, as: resource), resourceVersion: String(page.revision), continueToken: page.continueToken,
                remaining: page.remaining)
            return Replies.json(200, table)
        case .partialMetadata(let v):
            return Replies.json(
                200, TableRenderer.partialMetadataList(try objects(of: page, as: resource), version: v, metadata: listMetadata(page)))
        }
    }

    /// The objects of a page as `resource` serves them.
    private func objects(of page: CollectionPage, as resource: ResourceDefinition) throws -> [JSON] {
        let stored = try page.parsed ?? page.items.map { try $0.object() }
        return stored.map { VersionConversion.served($0, as: resource) }
    }

    /// `metadata` of a list reply.
    func listMetadata(_ page: CollectionPage) -> JSON {
        var metadata: JSONObject = ["resourceVersion": .string(String(page.revision))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remaining { metadata["remainingItemCount"] = .int(remaining) }
        return .object(metadata)
    }

    /// Reads the objects of a collection that `filter` selects, honouring `limit`, `continue`,
    /// `resourceVersion` and `resourceVersionMatch`. With `parse`, the parsed objects come too.
    func readCollection(
        _ resource: ResourceDefinition, namespace: String?, _ request: APIRequest, filter: ObjectFilter, parse: Bool
    ) async throws -> CollectionPage {
        let prefix = StorageKeys.prefix(resource, namespace: namespace)
        let limit = Int(max(try queryInt(request, "limit") ?? 0, 0))
        let continueText = request.queryValue("continue") ?? ""
        let versionText = request.queryValue("resourceVersion") ?? ""
        let match = request.queryValue("resourceVersionMatch") ?? ""
        var revision: Int64?
        var after: String?
        if !continueText.isEmpty {
            if !versionText.isEmpty, versionText != "0" {
                throw FlotillaError(.badRequest, "specifying resource version is not allowed when using continue")
            }
            let token = try ContinueToken(decoding: continueText)
            revision = token.revision
            after = prefix + token.start
        } else if !versionText.isEmpty {
            guard let requested = Int64(versionText), requested >= 0 else {
                throw FlotillaError(.badRequest, "resourceVersion: Invalid value: \"\(versionText)\": must be a non-negative integer")
            }
            switch match {
            case "Exact":
                guard requested > 0 else {
                    throw FlotillaError(.badRequest, "resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"")
                }
                revision = requested
            case "", "NotOlderThan":
                let current = try await store.currentRevision()
                if requested > current {
                    throw FlotillaError(.timeout, "Too large resource version: \(requested), current: \(current)", retryAfterSeconds: 1)
                }
            default:
                throw FlotillaError(.badRequest, "resourceVersionMatch: Unsupported value: \"\(match)\": supported values: \"Exact\", \"NotOlderThan\"")
            }
        } else if !match.isEmpty {
            throw FlotillaError(.badRequest, "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
        }

        var items: [ObjectVersion] = []
        var parsed: [JSON] = []
        var more = false
        var lastKey: String?
        var remaining: Int64?
        let pageSize = filter.isEmpty ? limit : (limit == 0 ? 0 : max(limit, 500))
        scan: while true {
            let page: ListResult
            do {
                page = try await store.list(prefix: prefix, after: after, limit: pageSize, revision: revision)
            } catch let error as FlotillaError where error.code == .expired {
                if !continueText.isEmpty { throw FlotillaError(.expired, ContinueToken.expiredMessage) }
                throw FlotillaError(.expired, "too old resource version: \(revision ?? 0) (\(try await store.compactedRevision()))")
            }
            revision = page.revision
            for (n, kv) in page.items.enumerated() {
                if !filter.isEmpty || parse {
                    let object = try StoredObject.decode(kv)
                    guard filter.matches(object) else { continue }
                    parsed.append(object)
                }
                items.append(ObjectVersion(kv))
                if limit > 0, items.count == limit {
                    lastKey = kv.key
                    more = n < page.items.count - 1 || page.more
                    if filter.isEmpty, n == page.items.count - 1 { remaining = page.remaining }
                    break scan
                }
            }
            guard page.more, let last = page.items.last else { break }
            after = last.key
        }
        var token: String?
        if more, let lastKey, let revision {
            token = ContinueToken(revision: revision, start: String(lastKey.dropFirst(prefix.count))).encoded
        } else {
            remaining = nil
        }
        return CollectionPage(
            items: items, parsed: (!filter.isEmpty || parse) ? parsed : nil, revision: revision ?? 0, continueToken: token,
            remaining: remaining.flatMap { $0 > 0 ? $0 : nil })
    }
}
