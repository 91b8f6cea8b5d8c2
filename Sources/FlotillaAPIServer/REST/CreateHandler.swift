import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation

extension APIServer {
    /// `POST` to a collection: decode, check, default, validate and store a new object.
    func create(_ path: ResourcePath, _ request: APIRequest) async throws -> APIResponse {
        let options = try WriteOptions(request)
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder)
        try RequestBody.checkKind(&body.object, expected: path.resource.groupVersionKind)
        let warnings = try checkFields(path.resource, &body.object, duplicates: body.duplicates, mode: options.fieldValidation)
        let created = try await createObject(
            path.resource, namespace: path.namespace, body.object, options: options,
            manager: WriteOptions.updateManager(request))
        return try reply(created, status: 201, resource: path.resource, request, warnings: warnings)
    }

    /// Creates `input` as a new object of `served` in `namespace` (the URL's), applying the
    /// create semantics: namespace checks, generated names, system fields, defaults, validation
    /// and field ownership (recorded for `manager`; a nil manager keeps the `managedFields` that
    /// server-side apply computed). An object of a version other than the storage version is
    /// converted first. Nothing is written on a dry run.
    func createObject(
        _ served: ResourceDefinition, namespace: String?, _ input: JSON, options: WriteOptions, manager: String?
    ) async throws -> ObjectVersion {
        let resource = storageResource(of: served)
        var object = try storageObject(input, old: nil, writtenThrough: served)
        var meta = object["metadata"].object ?? [:]
        if resource.namespaced {
            let given = meta["namespace"]?.string ?? ""
            guard let namespace else { throw Self.methodNotAllowed }
            if !given.isEmpty, given != namespace {
                throw FlotillaError(.badRequest, "the namespace of the provided object does not match the namespace sent on the request")
            }
            meta["namespace"] = .string(namespace)
        } else {
            meta.removeValue(forKey: "namespace")
        }
        if let version = meta["resourceVersion"]?.string, !version.isEmpty {
            throw FlotillaError(.badRequest, "resourceVersion should not be set on objects to be created")
        }
        for field in ["resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink"] {
            meta.removeValue(forKey: field)
        }
        if manager != nil { meta.removeValue(forKey: "managedFields") }
        if resource.namespaced, let namespace { try await requireWritableNamespace(namespace) }

        let generateName = meta["generateName"]?.string ?? ""
        let givenName = meta["name"]?.string ?? ""
        meta["uid"] = .string(BufferedRandom.uuidString())
        meta["creationTimestamp"] = .string(Timestamp.now())
        if resource.hasSpec { meta["generation"] = 1 }
        object["metadata"] = .object(meta)
        if resource.hasStatusSubresource, resource.plural != "nodes" { object["status"] = nil }

        let attempts = givenName.isEmpty && !generateName.isEmpty ? 8 : 1
        for attempt in 1...attempts {
            var candidate = object
            if givenName.isEmpty, !generateName.isEmpty {
                candidate[path: ["metadata", "name"]] = .string(Self.generatedName(generateName))
            }
            resource.defaulter?(&candidate)
            let attributes = AdmissionAttributes(resource: resource, namespace: resource.namespaced ? namespace : nil, old: nil, dryRun: options.dryRun)
            try await admission.admit(&candidate, attributes)
            candidate = allocations.carryOver(resource, old: nil, new: candidate)
            try validate(resource, candidate, old: nil)
            try await admission.validate(candidate, attributes)
            let reservation = try await allocations.reserve(resource, &candidate, old: nil, dryRun: options.dryRun)
            candidate = recordFieldManager(resource, old: nil, new: candidate, manager: manager)
            let name = candidate["metadata"]["name"].string ?? ""
            let key = StorageKeys.key(resource, namespace: namespace, name: name)
            let bytes = storageBytes(candidate, key: key)
            if options.dryRun { return ObjectVersion(stored: bytes, revision: nil, parsed: candidate) }
            do {
                let revision = try await store.create(key, value: bytes)
                return ObjectVersion(stored: bytes, revision: revision, parsed: candidate)
            } catch let error as FlotillaError where error.code == .alreadyExists {
                await reservation?.release()
                if attempt < attempts { continue }
                throw FlotillaError.alreadyExists(resource: resource.plural, group: resource.group, name: name)
            } catch {
                await reservation?.release()
                throw error
            }
        }
        throw FlotillaError(.internalError, "could not generate a unique name")
    }

    /// Refuses new objects in a namespace that does not exist or is being deleted.
    func requireWritableNamespace(_ namespace: String) async throws {
        switch try await namespaces.phase(of: namespace) {
        case nil:
            throw FlotillaError.notFound(resource: "namespaces", name: namespace)
        case .terminating:
            throw FlotillaError(
                .forbidden, "unable to create new content in namespace \(namespace) because it is being terminated",
                name: namespace, kind: "namespaces")
        case .active:
            return
        }
    }

    /// `generateName` plus five random characters, as Kubernetes makes them.
    static func generatedName(_ base: String) -> String {
        String(base.prefix(58)) + randomSuffix()
    }

    /// Five random characters from Kubernetes' alphabet for names (no vowels, no look-alikes).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var generator = BufferedRandom()
        return String((0..<5).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
