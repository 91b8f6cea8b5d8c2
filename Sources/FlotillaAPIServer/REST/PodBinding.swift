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
        return Replies.success(201)
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
            return Replies.success(201)
        } catch {
            return Replies.error(Self.flotillaError(error))
        }
    }

    /// Sets a pod's `spec.nodeName` to the binding's target and marks it scheduled; 409 when
    /// the pod is already bound or being deleted.
    func bindPod(_ pods: ResourceDefinition, namespace: String?, name: String, binding: JSON, options: WriteOptions) async throws {
        let node = binding["target"]["name"].string ?? ""
        guard !node.isEmpty else {
            throw FlotillaError.invalid(kind: "Binding", name: name, causes: [.required("target.name")])
        }
        if let kind = binding["target"]["kind"].string, !kind.isEmpty, kind != "Node" {
            throw FlotillaError.invalid(kind: "Binding", name: name, causes: [.notSupported("target.kind", kind, ["Node"])])
        }
        _ = try await guaranteedUpdate(pods, namespace: namespace, name: name, options: options, manager: nil, scope: .system) { current in
            if !current["metadata"]["deletionTimestamp"].isNull {
                throw FlotillaError(.conflict, "pod \(name) is being deleted, cannot be assigned to a host", name: name, kind: "pods")
            }
            if let assigned = current["spec"]["nodeName"].string, !assigned.isEmpty {
                throw FlotillaError(.conflict, "pod \(name) is already assigned to node \"\(assigned)\"", name: name, kind: "pods")
            }
            var pod = current
            pod[path: ["spec", "nodeName"]] = .string(node)
            var conditions = (pod["status"]["conditions"].array ?? []).filter { $0["type"].string != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": nil, "lastTransitionTime": .string(Timestamp.now())])
            pod[path: ["status", "conditions"]] = .array(conditions)
            return pod
        }
    }
}
