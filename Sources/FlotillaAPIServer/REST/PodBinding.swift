import FlotillaAPI
import FlotillaCore

/// Binding a pod to a node: `POST pods/<name>/binding` and `POST namespaces/<ns>/bindings`.
extension APIServer {
    static let bindingKind = GroupVersionKind("", "v1", "Binding")

    func bind(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
        try RequestBody.checkKind(&body, expected: Self.bindingKind)
        let given = body["metadata"]["name"].string ?? ""
        if !given.isEmpty, given != name {
            throw FlotillaError(.badRequest, "the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        try await bindPod(path.resource, namespace: path.namespace, name: name, binding: body, options: try WriteOptions(request))
        return Replies.success(201, to: request)
    }

    /// `POST /api/v1/namespaces/<ns>/bindings`, the older form of pod binding (nil for other paths).
    func serveNamespacedBindings(_ request: APIRequest) async -> APIResponse? {
        guard request.path.hasSuffix("/bindings") else { return nil }
        let segments = request.path.split(separator: "/").map(String.init)
        guard segments.count == 5, segments[0] == "api", segments[1] == "v1", segments[2] == "namespaces", segments[4] == "bindings",
            let pods = resources.resource(group: "", version: "v1", plural: "pods")
        else { return nil }
        guard request.method.uppercased() == "POST" else { return Replies.error(Self.methodNotAllowed) }
        do {
            var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
            try RequestBody.checkKind(&body, expected: Self.bindingKind)
            guard let name = body["metadata"]["name"].string, !name.isEmpty else {
                throw FlotillaError.invalid(kind: "Binding", name: "", causes: [.required("metadata.name")])
            }
            try await bindPod(pods, namespace: segments[3], name: name, binding: body, options: try WriteOptions(request))
            return Replies.success(201, to: request)
        } catch {
            return Replies.error(Self.flotillaError(error))
        }
    }

    /// Sets a pod's `spec.nodeName` to the binding's target and marks it scheduled; 409 when
    /// the pod is already bound, being deleted, or not the one the binding's `metadata.uid` or
    /// `metadata.resourceVersion` names. The binding's annotations are copied onto the pod.
    ///
    /// This is a narrow compare-and-swap on the stored pod, as Kubernetes' binding does: only
    /// the node name, the `PodScheduled` condition and the annotations change, so the pod is
    /// not defaulted, validated or admitted again (it was, when created); the node name itself
    /// is checked. A lost race is retried on a fresh read.
    func bindPod(_ pods: ResourceDefinition, namespace: String?, name: String, binding: JSON, options: WriteOptions) async throws {
        let node = binding["target"]["name"].string ?? ""
        guard !node.isEmpty else {
            throw FlotillaError.invalid(kind: "Binding", name: name, causes: [.required("target.name")])
        }
        if let kind = binding["target"]["kind"].string, !kind.isEmpty, kind != "Node" {
            throw FlotillaError.invalid(kind: "Binding", name: name, causes: [.notSupported("target.kind", kind, ["Node"])])
        }
        let nameProblems = NameValidation.dnsSubdomain(node)
        guard nameProblems.isEmpty else {
            throw FlotillaError.invalid(kind: "Binding", name: name, causes: nameProblems.map { .invalid("target.name", .string(node), $0) })
        }
        let resource = storageResource(of: pods)
        let key = StorageKeys.key(resource, namespace: namespace, name: name)
        let expectedUID = binding["metadata"]["uid"].string ?? ""
        let expectedVersion = binding["metadata"]["resourceVersion"].string ?? ""
        let annotations = binding["metadata"]["annotations"].object ?? [:]
        for _ in 0..<Self.writeAttempts {
            guard let kv = try await store.get(key) else {
                throw FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
            }
            var pod = try parsedObjects.object(key: kv.key, bytes: kv.value)
            let uid = pod["metadata"]["uid"].string ?? ""
            if !expectedUID.isEmpty, expectedUID != uid {
                throw FlotillaError(
                    .conflict, "Precondition failed: UID in precondition: \(expectedUID), UID in object meta: \(uid)", name: name, kind: "pods")
            }
            if !expectedVersion.isEmpty, expectedVersion != String(kv.modRevision) {
                throw FlotillaError.conflict(resource: resource.plural, group: resource.group, name: name)
            }
            try PodBindingChange.apply(to: &pod, node: node, annotations: annotations, name: name, now: Timestamp.now())
            if options.dryRun { return }
            do {
                _ = try await store.update(key, value: storageBytes(pod, key: key), expectedRevision: kv.modRevision)
                return
            } catch let error as FlotillaError where error.code == .conflict {
                continue
            } catch let error as FlotillaError where error.code == .notFound {
                throw FlotillaError.notFound(resource: resource.plural, group: resource.group, name: name)
            }
        }
        throw FlotillaError.conflict(resource: resource.plural, group: resource.group, name: name)
    }
}
