import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation

extension APIServer {
    /// `DELETE` of an object: replies 200 with the deleted object, or with the object marked for
    /// deletion when finalizers, a namespace's cleanup or a bound pod's grace period delay it.
    func delete(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let options = try DeleteOptions(request, protobuf: protobufDecoder)
        let outcome = try await deleteObject(path.resource, namespace: path.namespace, name: name, options: options)
        return try reply(outcome, status: 200, resource: path.resource, request)
    }

    /// `DELETE` of a collection: deletes every selected object and replies with their list.
    func deleteCollection(_ path: ResourcePath, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        let options = try DeleteOptions(request, protobuf: protobufDecoder)
        let filter = try ObjectFilter(request, resource: resource)
        let page = try await readCollection(resource, namespace: path.namespace, request, filter: filter, parse: true)
        var deleted: [ObjectVersion] = []
        for object in page.parsed ?? [] {
            let meta = object["metadata"]
            guard let name = meta["name"].string else { continue }
            do {
                deleted.append(try await deleteObject(resource, namespace: meta["namespace"].string, name: name, options: options))
            } catch let error as FlotillaError where error.code == .notFound {
                continue
            }
        }
        var out: [UInt8] = []
        out.append(contentsOf: "{\"kind\":\"\(resource.listKind)\",\"apiVersion\":\"\(resource.apiVersion)\",\"metadata\":{},\"items\":[".utf8)
        for (n, item) in deleted.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: try VersionConversion.served(item, as: resource).servedBytes)
        }
        out.append(contentsOf: "]}".utf8)
        return Replies.json(200, out)
    }

    /// Deletes an object as Kubernetes does: preconditions first; a namespace turns
    /// Terminating (its cleaner removes it later); an object with finalizers, or a pod bound to
    /// a node with a grace period, gets `deletionTimestamp` and stays; anything else goes now.
    /// Returns the deleted or marked object. Nothing is written on a dry run.
    func deleteObject(_ resource: ResourceDefinition, namespace: String?, name: String, options: DeleteOptions) async throws -> ObjectVersion {
        let key = StorageKeys.key(resource, namespace: namespace, name: name)
        for _ in 0..<Self.writeAttempts {
            guard let kv = try await store.get(key) else {
                throw FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
            }
            let current = try storedObject(kv)
            let meta = current["metadata"]
            if let uid = options.preconditionUID, uid != meta["uid"].string ?? "" {
                throw FlotillaError(
                    .conflict, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(meta["uid"].string ?? "")",
                    name: name, group: resource.group, kind: resource.plural)
            }
            if let version = options.preconditionResourceVersion, version != String(kv.modRevision) {
                throw FlotillaError(
                    .conflict,
                    "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(kv.modRevision)",
                    name: name, group: resource.group, kind: resource.plural)
            }
            if let marked = Self.markedForDeletion(resource, current, options: options) {
                if marked.isEquivalent(to: current) { return ObjectVersion(kv) }
                let object = StoredObject.canonical(marked, resourceVersion: nil)
                let bytes = storageBytes(object, key: key)
                if options.dryRun { return ObjectVersion(stored: bytes, revision: kv.modRevision, parsed: object) }
                do {
                    let revision = try await store.update(key, value: bytes, expectedRevision: kv.modRevision)
                    namespaces.wrote(key, value: bytes, revision: revision)
                    return ObjectVersion(stored: bytes, revision: revision, parsed: object)
                } catch let error as FlotillaError where error.code == .conflict {
                    continue
                }
            }
            if options.dryRun { return ObjectVersion(kv) }
            do {
                let (previous, revision) = try await store.delete(key, expectedRevision: kv.modRevision)
                namespaces.wrote(key, value: nil, revision: revision)
                await allocations.release(resource, old: current, new: nil)
                return ObjectVersion(previous)
            } catch let error as FlotillaError where error.code == .conflict {
                continue
            } catch let error as FlotillaError where error.code == .notFound {
                throw FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
            }
        }
        throw FlotillaError.conflict(resource: resource.plural, group: resource.group, name: name)
    }

    /// The object marked for a delayed deletion, or nil when it goes at once.
    static func markedForDeletion(_ resource: ResourceDefinition, _ object: JSON, options: DeleteOptions) -> JSON? {
        var object = object
        let meta = object["metadata"]
        let now = Date()
        if resource.group.isEmpty, resource.plural == "namespaces" {
            if meta["deletionTimestamp"].isNull { object[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(now)) }
            if object[path: ["metadata", "deletionGracePeriodSeconds"]].isNull {
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            }
            object[path: ["status", "phase"]] = "Terminating"
            return object
        }
        // Orphan and Foreground deletions wait for the garbage collector: it releases or
        // deletes the dependents, then removes the finalizer.
        if let finalizer = options.propagation?.finalizer, meta["deletionTimestamp"].isNull {
            var finalizers = meta["finalizers"].array ?? []
            if !finalizers.contains(.string(finalizer)) { finalizers.append(.string(finalizer)) }
            object[path: ["metadata", "finalizers"]] = .array(finalizers)
        }
        if !(object["metadata"]["finalizers"].array ?? []).isEmpty {
            if meta["deletionTimestamp"].isNull {
                object[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(now))
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            }
            return object
        }
        let boundPod = resource.group.isEmpty && resource.plural == "pods" && !(object["spec"]["nodeName"].string ?? "").isEmpty
        guard boundPod else { return nil }
        let grace = options.gracePeriodSeconds ?? object["spec"]["terminationGracePeriodSeconds"].int ?? 30
        guard grace > 0 else { return nil }
        if let existing = meta["deletionGracePeriodSeconds"].int, !meta["deletionTimestamp"].isNull, existing <= grace {
            return object
        }
        object[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(now.addingTimeInterval(TimeInterval(grace))))
        object[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
        return object
    }
}
