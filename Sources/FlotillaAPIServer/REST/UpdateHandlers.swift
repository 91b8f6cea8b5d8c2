import FlotillaAPI
import FlotillaCore
import FlotillaStore

extension APIServer {
    /// `PUT` of an object (or of its `status` with `scope: .status`).
    func update(_ path: ResourcePath, name: String, _ request: APIRequest, scope: UpdateScope = .main) async throws -> APIResponse {
        let resource = path.resource
        let options = try WriteOptions(request)
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder)
        try RequestBody.checkKind(&body.object, expected: resource.groupVersionKind)
        let warnings = try checkFields(resource, &body.object, duplicates: body.duplicates, mode: options.fieldValidation)
        try Self.checkIdentity(body.object, name: name, namespace: path.namespace, resource: resource)
        let object = body.object
        let version = try await guaranteedUpdate(
            resource, namespace: path.namespace, name: name, options: options,
            manager: WriteOptions.updateManager(request), scope: scope
        ) { _ in object }
        return try reply(version, status: 200, resource: resource, request, warnings: warnings)
    }

    /// The name in a body must be the URL's, and its namespace empty or the URL's.
    static func checkIdentity(_ object: JSON, name: String, namespace: String?, resource: ResourceDefinition) throws {
        let given = object["metadata"]["name"].string ?? ""
        if given != name {
            throw FlotillaError(.badRequest, "the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        let givenNamespace = object["metadata"]["namespace"].string ?? ""
        if resource.namespaced, !givenNamespace.isEmpty, givenNamespace != namespace {
            throw FlotillaError(.badRequest, "the namespace of the provided object does not match the namespace sent on the request")
        }
    }

    /// `PATCH` of an object (or of its `status`): merge, JSON, strategic merge or apply patches.
    /// An apply patch creates the object when it does not exist.
    func patch(_ path: ResourcePath, name: String, _ request: APIRequest, scope: UpdateScope = .main) async throws -> APIResponse {
        let resource = path.resource
        let options = try WriteOptions(request)
        let type = try PatchType(request)
        let body = try type.decode(request)
        var manager: String? = WriteOptions.updateManager(request)
        if type == .apply {
            guard let fieldManager = options.fieldManager else {
                throw FlotillaError(.badRequest, "PATCH requests with apply-patch content type must specify a fieldManager query parameter")
            }
            manager = nil
            if scope == .main, try await store.get(StorageKeys.key(resource, namespace: path.namespace, name: name)) == nil {
                var config = body.object
                try RequestBody.checkKind(&config, expected: resource.groupVersionKind)
                try Self.checkIdentity(config, name: name, namespace: path.namespace, resource: resource)
                let warnings = try checkFields(resource, &config, duplicates: body.duplicates, mode: options.fieldValidation)
                let applied = try applyPatch(.apply, config, to: nil, definition: resource.schema, manager: fieldManager, force: options.force)
                let created = try await createObject(resource, namespace: path.namespace, applied, options: options, manager: nil)
                return try reply(created, status: 201, resource: resource, request, warnings: warnings)
            }
        }
        var warnings: [String] = []
        let version = try await guaranteedUpdate(
            resource, namespace: path.namespace, name: name, options: options, manager: manager, scope: scope
        ) { current in
            var patched = try applyPatch(
                type, body.object, to: current, definition: resource.schema, manager: options.fieldManager ?? "", force: options.force)
            try RequestBody.checkKind(&patched, expected: resource.groupVersionKind)
            try Self.checkIdentity(patched, name: name, namespace: path.namespace, resource: resource)
            warnings = try checkFields(resource, &patched, duplicates: body.duplicates, mode: options.fieldValidation, stored: current)
            return patched
        }
        return try reply(version, status: 200, resource: resource, request, warnings: warnings)
    }

    /// `patch` applied to `current` (nil only for an apply that creates), an object of schema
    /// `definition`.
    func applyPatch(_ type: PatchType, _ patch: JSON, to current: JSON?, definition: String, manager: String, force: Bool) throws -> JSON {
        switch type {
        case .merge:
            return try JSONMergePatch.applyToObject(patch, to: current ?? .emptyObject)
        case .json:
            return try JSONPatch(json: patch).apply(to: current ?? .emptyObject)
        case .strategic:
            return try StrategicMergePatch.apply(patch, to: current ?? .emptyObject, definition: definition, catalog: schemas)
        case .apply:
            return try ServerSideApply.apply(
                live: current, config: patch, manager: manager, force: force, definition: definition, catalog: schemas,
                now: Timestamp.now())
        }
    }
}
